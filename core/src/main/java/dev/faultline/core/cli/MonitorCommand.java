package dev.faultline.core.cli;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.EngineEvent;
import dev.faultline.core.engine.EngineException;
import dev.faultline.core.engine.docker.Engines;
import dev.faultline.core.engine.ResourceUsage;
import dev.faultline.core.probe.HttpProbe;
import dev.faultline.core.probe.ProbeResult;
import dev.faultline.core.redact.Redactor;
import dev.faultline.core.target.ComposeStack;
import dev.faultline.core.target.TargetNotFoundException;
import dev.faultline.core.time.Waits;
import java.io.Closeable;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What {@code scripts/monitor.jsh} does: every interval, per service, state, health, restarts, CPU
 * and memory, a steady-state probe line and the recent container events.
 *
 * <p>On a terminal the screen is redrawn in place (ANSI: cursor home, clear); otherwise each
 * refresh is printed as plain lines under a time stamp. Under jshell the JVM usually has no console
 * even in a terminal, so the choice is {@link Settings#terminal()}: TERM set and not "dumb",
 * unless FAULTLINE_PLAIN=1. Parameters: FAULTLINE_PROJECT and FAULTLINE_URL (the health URL to
 * probe), both required; FAULTLINE_INTERVAL (default 2s), FAULTLINE_DURATION (default 0: until Ctrl-C).
 * Exit codes: 0 ran to the end, 2 bad parameters, no engine or no stack.
 */
public final class MonitorCommand {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final int EVENTS = 8;

    private MonitorCommand() {}

    public static int run(Map<String, String> env, PrintStream out) {
        return run(Engines::docker, env, out);
    }

    static int run(Supplier<Engine> engines, Map<String, String> env, PrintStream out) {
        Redactor redactor = Redactor.standard().withSecretsFrom(env);
        String project;
        Duration interval;
        Duration duration;
        HttpProbe probe;
        boolean inPlace;
        try {
            Settings settings = Settings.from(env);
            project = settings.project().orElseThrow(() -> new IllegalArgumentException(
                    Settings.PROJECT + " must be set to the Compose project to watch"));
            interval = settings.interval().orElse(Duration.ofSeconds(2));
            if (interval.compareTo(Duration.ofMillis(200)) < 0 || interval.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException(Settings.INTERVAL + " must be between 200 ms and 10 min, got " + interval);
            }
            duration = settings.duration().orElse(Duration.ZERO);
            String url = settings.url().orElseThrow(() -> new IllegalArgumentException(
                    Settings.URL + " must be set to the health URL to probe"));
            probe = HttpProbe.get(url)
                    .timeout(interval.compareTo(Duration.ofSeconds(2)) < 0 ? interval : Duration.ofSeconds(2));
            inPlace = settings.terminal();
        } catch (IllegalArgumentException e) {
            out.println("Bad parameter: " + redactor.redact(e.getMessage()));
            return 2;
        }
        Deque<String> events = new ArrayDeque<>();
        try {
            Engine engine = engines.get();
            ComposeStack stack = ComposeStack.named(engine, project, Settings.PROJECT);
            Closeable subscription = engine.events(Map.of("com.docker.compose.project", project), e -> {
                if (e.action().startsWith("exec_")) {
                    return; // health checks' execs, every few seconds; health_status events say what they found
                }
                synchronized (events) {
                    events.addLast(CLOCK.format(e.time()) + "  " + e.service() + "  " + e.action() + exit(e));
                    while (events.size() > EVENTS) {
                        events.removeFirst();
                    }
                }
            });
            try {
                long end = duration.isZero() ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
                while (true) {
                    long next = System.nanoTime() + interval.toNanos();
                    String screen = redactor.redact(screen(engine, stack, probe, events));
                    if (inPlace) {
                        out.print("\033[H\033[2J" + screen);
                    } else {
                        out.print(screen);
                        out.println();
                    }
                    out.flush();
                    if (next >= end) {
                        break;
                    }
                    Waits.until(next, () -> false); // a refresh cadence, not a wait for state
                }
            } finally {
                try {
                    subscription.close();
                } catch (java.io.IOException ignored) {
                    // the subscription is gone either way
                }
            }
            return 0;
        } catch (TargetNotFoundException | EngineException e) {
            out.println(redactor.redact(e.getMessage()));
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    static String screen(Engine engine, ComposeStack stack, HttpProbe probe, Deque<String> events) {
        StringBuilder s = new StringBuilder();
        s.append("faultline monitor  project ").append(stack.project()).append("  ").append(CLOCK.format(Instant.now()))
                .append(" UTC\n\n");
        s.append(String.format(Locale.ROOT, "%-10s %-28s %-10s %-10s %8s %7s %10s%n", "service", "container", "state",
                "health", "restarts", "cpu", "memory"));
        for (String service : stack.services()) {
            List<ContainerInfo> containers;
            try {
                containers = stack.containers(service);
            } catch (RuntimeException e) {
                s.append(String.format(Locale.ROOT, "%-10s (%s)%n", service, e.getMessage()));
                continue;
            }
            for (ContainerInfo c : containers) {
                String cpu = "-";
                String mem = "-";
                if (c.running()) {
                    try {
                        ResourceUsage u = engine.stats(c.id());
                        cpu = String.format(Locale.ROOT, "%.0f%%", u.cpuPercent());
                        mem = String.format(Locale.ROOT, "%.0f MiB", u.memoryBytes() / 1048576.0);
                    } catch (RuntimeException e) {
                        cpu = "?";
                    }
                }
                s.append(String.format(Locale.ROOT, "%-10s %-28s %-10s %-10s %8d %7s %10s%n", service, clip(c.name(), 28),
                        c.state().name().toLowerCase(Locale.ROOT), c.health().name().toLowerCase(Locale.ROOT),
                        c.restartCount(), cpu, mem));
            }
        }
        ProbeResult r = probe.check();
        s.append("\nsteady state  ").append(probe.name()).append("  ").append(r.ok() ? "OK" : "FAILED").append(" in ")
                .append(r.latency().toMillis()).append(" ms").append(r.ok() ? "" : ": " + r.detail()).append('\n');
        s.append("\nrecent events\n");
        synchronized (events) {
            if (events.isEmpty()) {
                s.append("  (none since the monitor started)\n");
            }
            events.forEach(e -> s.append("  ").append(e).append('\n'));
        }
        return s.toString();
    }

    private static String exit(EngineEvent e) {
        String code = e.attributes().get("exitCode");
        return code == null ? "" : " (exit " + code + ")";
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
