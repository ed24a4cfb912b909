package dev.faultline.core.safety;

import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.docker.Engines;
import dev.faultline.core.fault.FaultContext;
import dev.faultline.core.fault.Injection;
import dev.faultline.core.target.ComposeStack;
import java.nio.file.Path;

/**
 * The experiment JVM of the kill matrix's JVM cells: injects one guarded fault as a run would, with the
 * runner's shutdown hook that reverts on SIGINT/SIGTERM, prints {@code INJECTED}, then waits to be
 * signalled or killed. Arguments: ledger folder, run id, Compose project, {@link MatrixFault} name.
 */
public final class KillMatrixChild {

    private KillMatrixChild() {}

    public static void main(String[] args) throws Exception {
        Path ledgers = Path.of(args[0]);
        String runId = args[1];
        String project = args[2];
        MatrixFault kind = MatrixFault.valueOf(args[3]);
        Engine engine = Engines.docker();
        SafeRun run = SafeRun.start(engine, runId, SafetyPolicy.defaults(), ledgers, true);
        Injection injection = run.guard(kind.fault()).inject(new FaultContext(engine, ComposeStack.named(engine, project), runId));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("REVERTING");
            try {
                injection.close();
            } finally {
                run.close();
            }
            System.out.println("REVERTED");
        }));
        System.out.println("INJECTED " + run.reaper().map(Reaper::name).orElse("no-reaper") + " " + injection.mechanism());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
