package dev.faultline.core.swarm;

import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.docker.Engines;
import dev.faultline.core.fault.FaultContext;
import dev.faultline.core.safety.SafeRun;
import dev.faultline.core.safety.SafetyPolicy;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JVM that {@link SwarmIT} kills: drains a node of the test swarm and pauses it, through a guarded run
 * (ledger and reaper), says so, and waits to be killed. Arguments: ledger folder, run id, manager endpoint, node hostname
 * to pause, then {@code hostname=address=container} for each node.
 */
public final class SwarmChild {

    public static void main(String[] args) throws Exception {
        Path ledgers = Path.of(args[0]);
        String runId = args[1];
        String manager = args[2];
        String victim = args[3];
        Map<String, String> addresses = new LinkedHashMap<>();
        Map<String, String> containers = new LinkedHashMap<>();
        for (int i = 4; i < args.length; i++) {
            String[] p = args[i].split("=");
            addresses.put(p[0], p[1]);
            containers.put(p[0], p[2]);
        }
        Engine machines = Engines.docker();
        SwarmEngine engine = SwarmEngine.of(Engines.connect(manager),
                node -> Engines.connect("tcp://" + addresses.getOrDefault(node.hostname(), node.address()) + ":2375"))
                .withMachines(machines, containers);
        SwarmStack stack = SwarmStack.named(engine, "shop");
        SafeRun run = SafeRun.start(engine, runId, SafetyPolicy.defaults(), ledgers, true);
        FaultContext context = new FaultContext(engine, stack, runId);
        run.guard(new DrainFault(NodeTarget.named(victim))).inject(context);
        run.guard(new NodeLossFault(NodeTarget.named(victim), NodeLossFault.Mode.PAUSE)).inject(context);
        System.out.println("INJECTED " + run.reaper().map(r -> r.name()).orElse("no-reaper"));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
