package dev.faultline.benchmarks;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.EngineEvent;
import dev.faultline.core.engine.docker.Engines;
import dev.faultline.core.engine.HelperSpec;
import dev.faultline.core.engine.LogLine;
import dev.faultline.core.fault.CrashFault;
import dev.faultline.core.fault.FaultContext;
import dev.faultline.core.fault.Injection;
import dev.faultline.core.fault.NetworkLatencyFault;
import dev.faultline.core.fault.PauseFault;
import dev.faultline.core.helper.HelperImage;
import dev.faultline.core.target.ComposeStack;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * End-to-end fault timing on a small compose stack (benchmarks/stacks/faults.yml): from the call that
 * injects to the effect seen, for the fault, the bare engine call (DockerEngine) and the docker CLI doing
 * the same, interleaved. Crash and pause: until this JVM receives the daemon's {@code die} / {@code pause}
 * event. Network latency: until the first round trip of the client that took the added
 * delay (the client's timestamps, same host clock); the floors are a helper container's start and exit,
 * which the fault cannot avoid.
 */
public final class FaultTiming {

    private static final String SECTION = "faults";
    private static final String PROJECT = "fl-bench-faults";
    private static final Duration LATENCY = Duration.ofMillis(200);

    private final Engine engine;
    private final ComposeStack targets;
    private final FaultContext context;
    private final BlockingQueue<Seen> events = new LinkedBlockingQueue<>();

    /** An event and when this JVM received it. */
    private record Seen(EngineEvent event, long receivedNanos) {}

    private FaultTiming(Engine engine) {
        this.engine = engine;
        this.targets = ComposeStack.named(engine, PROJECT);
        this.context = new FaultContext(engine, targets, "fl-bench-faults");
    }

    public static void main(String[] args) throws Exception {
        String composeFile = args.length > 0 ? args[0] : "benchmarks/stacks/faults.yml";
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Engine engine = Engines.docker();
        compose(composeFile, "up", "-d", "--force-recreate");
        try {
            new FaultTiming(engine).measure(reps);
        } finally {
            compose(composeFile, "down", "-v", "-t", "1");
        }
        System.exit(0);
    }

    private void measure(int reps) throws Exception {
        try (Closeable stream = engine.events(Map.of("com.docker.compose.project", PROJECT),
                e -> events.add(new Seen(e, System.nanoTime())))) {
            String victim = container("victim");
            Histogram crash = Results.histogram(), kill = Results.histogram(), killCli = Results.histogram();
            Histogram pause = Results.histogram(), pauseApi = Results.histogram(), pauseCli = Results.histogram();
            for (int i = 0; i < reps; i++) {
                crash.recordValue(untilEvent(victim, "die", () -> CrashFault.of("victim").inject(context)));
                restart(victim);
                kill.recordValue(untilEvent(victim, "die", () -> engine.kill(victim, "KILL")));
                restart(victim);
                killCli.recordValue(untilEvent(victim, "die", () -> cli("docker", "kill", "-s", "KILL", victim)));
                restart(victim);

                Injection[] paused = new Injection[1];
                pause.recordValue(untilEvent(victim, "pause", () -> paused[0] = PauseFault.of("victim").inject(context)));
                paused[0].close();
                awaitEvent(victim, "unpause");
                pauseApi.recordValue(untilEvent(victim, "pause", () -> engine.pause(victim)));
                engine.unpause(victim);
                awaitEvent(victim, "unpause");
                pauseCli.recordValue(untilEvent(victim, "pause", () -> cli("docker", "pause", victim)));
                cli("docker", "unpause", victim);
                awaitEvent(victim, "unpause");
            }
            Results.percentilesMicros(SECTION, "crash.fault", crash, false);
            Results.percentilesMicros(SECTION, "crash.engine-kill", kill, false);
            Results.percentilesMicros(SECTION, "crash.cli-kill", killCli, false);
            Results.print(SECTION, "crash.fault-minus-engine.p50", (crash.getValueAtPercentile(50) - kill.getValueAtPercentile(50)) / 1e3, "us");
            Results.percentilesMicros(SECTION, "pause.fault", pause, false);
            Results.percentilesMicros(SECTION, "pause.engine", pauseApi, false);
            Results.percentilesMicros(SECTION, "pause.cli", pauseCli, false);
            Results.print(SECTION, "pause.fault-minus-engine.p50", (pause.getValueAtPercentile(50) - pauseApi.getValueAtPercentile(50)) / 1e3, "us");
        }
        network(Math.max(2, reps / 2));
    }

    private void network(int reps) throws Exception {
        String client = container("client");
        String helperImage = HelperImage.fromSystemProperties().ensure(engine);
        Histogram returned = Results.histogram(), effect = Results.histogram();
        Histogram helperApi = Results.histogram(), helperCli = Results.histogram();
        for (int i = 0; i < reps; i++) {
            Instant start = Instant.now();
            long t0 = System.nanoTime();
            Injection injection = NetworkLatencyFault.of("client", "server", 7000, LATENCY).lasting(Duration.ofMinutes(2))
                    .inject(context);
            returned.recordValue(System.nanoTime() - t0);
            try {
                effect.recordValue(Duration.between(start, firstDelayed(client, start)).toNanos());
            } finally {
                injection.close();
            }
            Thread.sleep(500);

            long h0 = System.nanoTime();
            String id = engine.run(new HelperSpec(helperImage, List.of("true"), Map.of("faultline.run-id", "fl-bench-faults"),
                    "fl-bench-faults-helper-" + i, null, "container:" + client, List.of("NET_ADMIN"), false, null, List.of(), false));
            try {
                engine.waitForExit(id, Duration.ofSeconds(30));
                helperApi.recordValue(System.nanoTime() - h0);
            } finally {
                engine.remove(id, true);
            }
            long c0 = System.nanoTime();
            cli("docker", "run", "--rm", "--label", "faultline.run-id=fl-bench-faults", "--network", "container:" + client,
                    "--cap-add", "NET_ADMIN", helperImage, "true");
            helperCli.recordValue(System.nanoTime() - c0);
        }
        Results.percentilesMicros(SECTION, "latency.fault.inject-returned", returned, false);
        Results.percentilesMicros(SECTION, "latency.fault.effect-seen", effect, false);
        Results.percentilesMicros(SECTION, "latency.floor.engine-helper-run", helperApi, false);
        Results.percentilesMicros(SECTION, "latency.floor.cli-helper-run", helperCli, false);
    }

    /** Start of the client's first round trip, begun after {@code after}, that took the added latency. */
    private Instant firstDelayed(String client, Instant after) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            for (LogLine line : engine.logs(client, after.minusSeconds(1), Instant.now().plusSeconds(1))) {
                String[] parts = line.text().trim().split(" ");
                if (parts.length != 2 || !parts[0].matches("\\d+\\.\\d{6}") || !parts[1].matches("\\d+\\.\\d{6}")) {
                    continue;
                }
                Instant s = epoch(parts[0]), e = epoch(parts[1]);
                if (!s.isBefore(after) && Duration.between(s, e).compareTo(LATENCY.multipliedBy(9).dividedBy(10)) >= 0) {
                    return s; // the rule was in place when this round trip began
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the client saw no round trip of " + LATENCY + " within 20 s of the fault");
    }

    private static Instant epoch(String seconds) {
        int dot = seconds.indexOf('.');
        long whole = Long.parseLong(seconds.substring(0, dot));
        long micros = Long.parseLong(seconds.substring(dot + 1));
        return Instant.ofEpochSecond(whole, micros * 1000);
    }

    /**
     * Nanoseconds from just before {@code action} to the receipt of the event it causes (the daemon's own
     * timestamp is not used: it is taken when the daemon logs the event, not when the effect happened).
     */
    private long untilEvent(String container, String event, ThrowingRunnable action) throws Exception {
        events.clear();
        long start = System.nanoTime();
        action.run();
        return awaitEvent(container, event).receivedNanos() - start;
    }

    private Seen awaitEvent(String container, String action) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Seen seen = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (seen == null) {
                throw new IllegalStateException("no '" + action + "' event for " + container + " within 30 s");
            }
            if (seen.event().containerId().equals(container) && seen.event().action().equals(action)) {
                return seen;
            }
        }
    }

    private void restart(String container) throws InterruptedException {
        events.clear();
        engine.start(container);
        awaitEvent(container, "start");
        Thread.sleep(200);
    }

    private String container(String service) {
        List<ContainerInfo> found = targets.containers(service);
        if (found.isEmpty()) {
            throw new IllegalStateException("service " + service + " has no container in " + PROJECT);
        }
        return found.get(0).id();
    }

    private static void compose(String file, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 5];
        command[0] = "docker-compose";
        command[1] = "-p";
        command[2] = PROJECT;
        command[3] = "-f";
        command[4] = file;
        System.arraycopy(args, 0, command, 5, args.length);
        cli(command);
    }

    private static void cli(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
