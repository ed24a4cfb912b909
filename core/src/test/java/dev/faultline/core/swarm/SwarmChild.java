package dev.faultline.core.swarm;

import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.docker.Engines;
import dev.faultline.core.fault.FaultContext;
import dev.faultline.core.fault.NetworkLatencyFault;
import dev.faultline.core.safety.SafeRun;
import dev.faultline.core.safety.SafetyPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JVM that {@link SwarmIT} kills: drains a node of the test swarm and pauses it (or, given {@link #LATENCY},
 * adds 2 s of latency through the proxy in this JVM from the first web task to db), through a guarded run (ledger
 * and reaper), says so, and waits to be killed. Arguments: ledger folder, run id, manager endpoint, node hostname
 * to pause or {@link #LATENCY}, then {@code hostname=address=container} for each node.
 */
public final class SwarmChild {

    static final String LATENCY = "latency:web-db";

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
        String what = "";
        if (victim.equals(LATENCY)) {
            what = run.guard(NetworkLatencyFault.of("web", "db", 5432, Duration.ofSeconds(2)).index(0)).inject(context).mechanism();
        } else {
            run.guard(new DrainFault(NodeTarget.named(victim))).inject(context);
            run.guard(new NodeLossFault(NodeTarget.named(victim), NodeLossFault.Mode.PAUSE)).inject(context);
        }
        System.out.println("INJECTED " + run.reaper().map(r -> r.name()).orElse("no-reaper") + " " + what);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
