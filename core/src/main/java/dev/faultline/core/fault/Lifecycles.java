package dev.faultline.core.fault;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ContainerState;
import dev.faultline.core.engine.Engine;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The effect of faults that act on a container's life (crash, API kill, restart, stop, pause, OOM), read
 * from the engine: what inspect shows now against what it showed before the fault.
 */
final class Lifecycles {

    /** How long a death is waited for: Docker sees a SIGKILLed process exit within milliseconds. */
    static final Duration DEATH_WAIT = Duration.ofSeconds(5);

    private Lifecycles() {}

    /**
     * Whether {@code before}'s main process ended since: the container is down, or it started again
     * (a later start time, a higher restart count). Waits up to {@code wait} for Docker to notice.
     */
    static Effect death(Engine engine, ContainerInfo before, String kind, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            ContainerInfo now;
            try {
                now = engine.inspect(before.id());
            } catch (RuntimeException e) {
                return Effect.bit(kind + " " + before.name() + ": the container is gone (" + e.getMessage() + ")",
                        List.of(Effect.count("deaths", 1, "")));
            }
            int restarts = Math.max(0, now.restartCount() - before.restartCount());
            boolean started = now.startedAt() != null && before.startedAt() != null && now.startedAt().isAfter(before.startedAt());
            boolean down = !now.running() && now.state() != ContainerState.PAUSED;
            if (started || down || restarts > 0 || System.nanoTime() >= deadline) {
                List<Effect.Counter> counters = List.of(Effect.count("deaths", started || down || restarts > 0 ? 1 : 0, ""),
                        Effect.count("restarts", restarts > 0 ? restarts : started ? 1 : 0, ""),
                        Effect.count("exit code", now.exitCode(), ""));
                String oom = now.oomKilled() ? ", OOM-killed" : "";
                String summary = kind + " " + before.name() + ": " + (started
                        ? "its main process ended (exit " + now.exitCode() + oom + ") and Docker started it again at "
                                + now.startedAt() + (restarts > 0 ? " (restart count " + before.restartCount() + " \u2192 "
                                + now.restartCount() + ")" : "")
                        : down ? "its main process ended (exit " + now.exitCode() + oom + "); it is " + state(now)
                        : "still running with the main process started at " + now.startedAt());
                return Effect.of(started || down || restarts > 0, summary, before.name() + " kept running with the same main"
                        + " process (started at " + before.startedAt() + ") for " + wait.toSeconds() + " s after the fault", counters);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Effect.notMeasured("interrupted while waiting to see " + before.name() + " die");
            }
        }
    }

    /** Whether the container is seen in {@code expected} state now (read while the fault is still on). */
    static Effect seen(Engine engine, ContainerInfo c, String kind, ContainerState expected, String cause) {
        ContainerInfo now = engine.inspect(c.id());
        boolean seen = now.state() == expected;
        return Effect.of(seen, kind + " " + c.name() + ": seen " + state(now) + " while the fault was on",
                cause + " (found " + state(now) + ")", List.of(Effect.count("seen " + state(expected), seen ? 1 : 0, "")));
    }

    static String state(ContainerInfo c) {
        return state(c.state());
    }

    static String state(ContainerState s) {
        return s.name().toLowerCase(Locale.ROOT);
    }
}
