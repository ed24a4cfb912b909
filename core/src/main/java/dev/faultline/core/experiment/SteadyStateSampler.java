package dev.faultline.core.experiment;

import dev.faultline.core.observe.RunClock;
import dev.faultline.core.probe.ErrorClass;
import dev.faultline.core.steadystate.SteadyState;
import dev.faultline.core.steadystate.SteadyStateCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The steady-state probe on an open schedule: check k leaves at {@code k × interval} whether or not
 * the previous ones answered, so a slow outage is sampled as densely as a healthy minute (a
 * sequential probe waits for each answer and samples an outage rarely: coordinated omission in our
 * own probe). At most {@code maxInFlight} checks wait for answers at once; a check that cannot
 * leave is recorded as {@link ErrorClass#NOT_SENT}, never skipped.
 *
 * <p>Each check is recorded at its intended send time with its latency from then. Checks still
 * waiting when the sampler closes are {@link ErrorClass#CUT}: neither ok nor failed.
 */
final class SteadyStateSampler implements AutoCloseable {

    /** Enough for checks answered 6.4 s late at 100 ms intervals (an HTTP probe gives up after 5 s by default): more waiting means the probe itself is stuck. */
    static final int MAX_IN_FLIGHT = 64;

    private final SteadyState steadyState;
    private final long intervalNanos;
    private final RunClock clock;
    private final Consumer<Observation> sink;
    private final Semaphore slots = new Semaphore(MAX_IN_FLIGHT);
    private final ScheduledExecutorService ticks;
    private final ExecutorService checks;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private long startNanos;
    private long index;

    private SteadyStateSampler(SteadyState steadyState, Duration interval, RunClock clock, Consumer<Observation> sink,
            String runId) {
        this.steadyState = Objects.requireNonNull(steadyState, "steadyState");
        this.intervalNanos = interval.toNanos();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.ticks = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "faultline-steady-state-" + runId));
        this.checks = Executors.newFixedThreadPool(MAX_IN_FLIGHT, r -> daemon(r, "faultline-check-" + runId));
    }

    /** Starts checking now, every {@code interval}; every check's outcome goes to {@code sink}, from any thread. */
    static SteadyStateSampler start(SteadyState steadyState, Duration interval, RunClock clock,
            Consumer<Observation> sink, String runId) {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("interval must be positive, got " + interval);
        }
        SteadyStateSampler sampler = new SteadyStateSampler(steadyState, interval, clock, sink, runId);
        sampler.startNanos = clock.nanos();
        sampler.ticks.scheduleAtFixedRate(sampler::tick, 0, sampler.intervalNanos, TimeUnit.NANOSECONDS);
        return sampler;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Checks sent so far, the ones that could not leave included. */
    long sent() {
        return sent.get();
    }

    // on the tick thread only: the k-th tick is meant for k × interval, however late it runs
    private void tick() {
        if (closing.get()) {
            return;
        }
        long intended = startNanos + index++ * intervalNanos;
        sent.incrementAndGet();
        if (!slots.tryAcquire()) {
            Duration lag = Duration.ofNanos(Math.max(0, clock.nanos() - intended));
            sink.accept(new Observation(clock.instantAt(intended), Observation.Source.STEADY_STATE, false,
                    lag, ErrorClass.NOT_SENT, "not sent: " + MAX_IN_FLIGHT + " checks were still waiting for an answer",
                    lag));
            return;
        }
        Check task = new Check(intended, new AtomicBoolean());
        try {
            checks.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            slots.release();
            record(task.recorded, cut(intended));
        }
    }

    /** One check meant to leave at {@code intended}; recorded exactly once, whoever gets there first. */
    private final class Check implements Runnable {
        final long intended;
        final AtomicBoolean recorded;

        Check(long intended, AtomicBoolean recorded) {
            this.intended = intended;
            this.recorded = recorded;
        }

        @Override
        public void run() {
            try {
                check(intended, recorded);
            } finally {
                slots.release();
            }
        }
    }

    private void check(long intended, AtomicBoolean recorded) {
        // a tick that ran late (this JVM paused or short of CPU) is the sampler's own lag: a check never waits for a
        // thread, there is one per slot
        Duration lag = Duration.ofNanos(Math.max(0, clock.nanos() - intended));
        SteadyStateCheck check = steadyState.check();
        long end = clock.nanos();
        Duration latency = Duration.ofNanos(Math.max(0, end - intended));
        Instant time = clock.instantAt(intended);
        Observation o;
        if (check.holds()) {
            o = new Observation(time, Observation.Source.STEADY_STATE, true, latency, ErrorClass.NONE,
                    "ok in " + latency.toMillis() + " ms", lag);
        } else if (closing.get() && !check.errorClass().answered()) {
            // interrupted or cancelled by the end of the run, not by the stack
            o = cut(intended);
        } else {
            o = new Observation(time, Observation.Source.STEADY_STATE, false, latency, check.errorClass(),
                    check.describeFailure(), lag);
        }
        record(recorded, o);
    }

    private Observation cut(long intended) {
        return new Observation(clock.instantAt(intended), Observation.Source.STEADY_STATE, false,
                Duration.ofNanos(Math.max(0, clock.nanos() - intended)), ErrorClass.CUT,
                "cut by the end of the run after " + Duration.ofNanos(Math.max(0, clock.nanos() - intended)).toMillis()
                        + " ms");
    }

    private void record(AtomicBoolean recorded, Observation o) {
        if (recorded.compareAndSet(false, true)) {
            sink.accept(o);
        }
    }

    /**
     * Stops sending, cuts the checks still waiting (interrupting them) and returns once each has been
     * recorded, so that every check sent is in the sink: ok, failed or cut.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        ticks.shutdownNow();
        try {
            ticks.awaitTermination(5, TimeUnit.SECONDS);
            for (Runnable never : checks.shutdownNow()) {
                Check c = (Check) never;
                record(c.recorded, cut(c.intended));
            }
            // an interrupted HTTP call returns at once; a probe that ignores interrupts is waited for
            // up to its own timeout, which is bounded
            if (!checks.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("steady-state checks did not stop within 30 s of the run's end");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
