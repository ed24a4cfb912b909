package dev.faultline.core.experiment;

import dev.faultline.core.time.Durations;

import dev.faultline.core.fault.Effect;
import dev.faultline.core.fault.Injection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a run's live injections and reverts them on every path: on schedule, at the end, and from
 * a JVM shutdown hook (Ctrl-C, SIGTERM) registered while anything is live.
 *
 * <p>Each revert runs on a thread of its own and the caller waits for it ignoring interrupts, so
 * cancelling the experiment cannot cancel its cleanup; the wait is bounded so a hung engine
 * cannot hang the JVM. A failed or timed-out revert is kept and reported, never swallowed.
 */
final class RevertGuard implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RevertGuard.class);

    private final String runId;
    private final Duration timeout;
    private final Clock clock;
    private final List<Entry> entries = new ArrayList<>();
    private final Thread hook;
    private boolean hookRegistered;

    RevertGuard(String runId, Duration timeout, Clock clock) {
        this.runId = runId;
        this.timeout = timeout;
        this.clock = clock;
        this.hook = new Thread(this::revertFromHook, "faultline-revert-on-exit-" + runId);
    }

    /** A live injection; revert state is written by the revert thread and read after it finished. */
    static final class Entry {
        final FaultStep step;
        final Injection injection;
        final Instant injectedAt;
        /** When inject() returned: a restart is over only then. */
        final Instant injectReturned;
        private final AtomicBoolean started = new AtomicBoolean();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private volatile Instant revertedAt;
        private volatile String error;
        private volatile Effect effect;

        Entry(FaultStep step, Injection injection, Instant injectedAt, Instant injectReturned) {
            this.step = step;
            this.injection = injection;
            this.injectedAt = injectedAt;
            this.injectReturned = injectReturned.isBefore(injectedAt) ? injectedAt : injectReturned;
        }

        Optional<Instant> revertedAt() {
            return Optional.ofNullable(revertedAt);
        }

        Optional<String> error() {
            return Optional.ofNullable(error);
        }

        /** What the fault measurably did, read right after its revert; not measured while the revert has not finished. */
        Effect effect() {
            Effect e = effect;
            return e != null ? e : Effect.notMeasured("the revert did not finish, so the effect was not read");
        }
    }

    synchronized Entry register(FaultStep step, Injection injection, Instant injectedAt) {
        return register(step, injection, injectedAt, clock.instant());
    }

    synchronized Entry register(FaultStep step, Injection injection, Instant injectedAt, Instant injectReturned) {
        Entry entry = new Entry(step, injection, injectedAt, injectReturned);
        entries.add(entry);
        if (!hookRegistered) {
            try {
                Runtime.getRuntime().addShutdownHook(hook);
                hookRegistered = true;
            } catch (IllegalStateException shuttingDown) {
                // The JVM is already exiting: revert at once rather than leave the fault behind.
                revert(entry);
            }
        }
        return entry;
    }

    /** The shutdown hook, for tests that run it as the JVM would. */
    Thread hook() {
        return hook;
    }

    synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** Reverts one injection, at most once; waits (uninterruptibly, bounded) for it to finish. Never throws. */
    void revert(Entry entry) {
        if (entry.started.compareAndSet(false, true)) {
            Thread worker = new Thread(() -> runRevert(entry), "faultline-revert-" + runId);
            // Daemon: a revert that hangs past its bound must not keep the JVM alive forever.
            worker.setDaemon(true);
            worker.start();
        }
        awaitUninterruptibly(entry);
    }

    /** Reverts everything still live, the most recent injection first. */
    void revertAll() {
        List<Entry> live = entries();
        for (int i = live.size() - 1; i >= 0; i--) {
            revert(live.get(i));
        }
    }

    private void runRevert(Entry entry) {
        try {
            entry.injection.close();
            entry.revertedAt = clock.instant();
            entry.effect = entry.injection.effect();
            log.info("run {}: reverted {}; effect: {}", runId, entry.step.fault().describe(), entry.effect.line());
        } catch (Throwable t) {
            entry.error = "revert of '" + entry.step.fault().describe() + "' failed: " + t
                    + "; the fault may still be in effect (" + entry.injection.mechanism() + ")";
            log.error("run {}: {}", runId, entry.error, t);
        } finally {
            entry.done.complete(null);
        }
    }

    private void awaitUninterruptibly(Entry entry) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long remaining = deadline - System.nanoTime();
                try {
                    entry.done.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (TimeoutException e) {
                    if (entry.error == null && entry.revertedAt == null) {
                        entry.error = "revert of '" + entry.step.fault().describe() + "' did not finish within "
                                + Durations.words(timeout) + "; the fault may still be in effect ("
                                + entry.injection.mechanism() + ")";
                        log.error("run {}: {}", runId, entry.error);
                    }
                    return;
                } catch (ExecutionException e) {
                    return; // runRevert completes normally; recorded there
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void revertFromHook() {
        List<Entry> live = entries();
        if (live.stream().anyMatch(e -> !e.started.get())) {
            log.warn("run {}: JVM is exiting; reverting {} live fault(s)", runId,
                    live.stream().filter(e -> !e.started.get()).count());
        }
        revertAll();
    }

    /** Removes the shutdown hook; call after {@link #revertAll()}. */
    @Override
    public synchronized void close() {
        if (hookRegistered) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or about to: it reverts whatever is left.
            }
            hookRegistered = false;
        }
    }
}
