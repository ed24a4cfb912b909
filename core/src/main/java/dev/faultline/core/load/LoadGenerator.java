package dev.faultline.core.load;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.faultline.core.observe.RunClock;
import dev.faultline.core.probe.ErrorClass;
import dev.faultline.core.time.Waits;

/**
 * Open-model load in the background: request i leaves at {@code start + profile.offset(i)} whatever the
 * target does, and its latency counts from that intended time, so a stall shows up in full instead of
 * being hidden by a generator that waited for it (coordinated omission).
 *
 * <pre>{@code
 * try (LoadGenerator load = LoadGenerator.start(config, timelineListener)) {
 *     ... inject faults ...
 *     LoadSummary summary = load.awaitCompletion(Duration.ofMinutes(2));
 * }
 * }</pre>
 *
 * Requests go out on a non-blocking HTTP/1.1 client ({@link HttpTransport}): a few I/O threads carry every
 * connection, so sending costs the same with 10 connections open or 1000. In-flight requests are capped by
 * {@link LoadConfig#maxInFlight()}, and a send that cannot get a slot within {@link LoadConfig#sendTolerance()}
 * is recorded as dropped, never lost.
 */
public final class LoadGenerator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LoadGenerator.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoadConfig config;
    private final RunClock clock;
    private final HttpTransport transport;
    private final List<Prepared> mix;
    private final double[] cumulativeWeights;
    private final List<RequestListener> listeners = new CopyOnWriteArrayList<>();
    private final RunStats stats;
    private final Semaphore inFlight;
    private final Thread scheduler;
    private final CountDownLatch scheduleDone = new CountDownLatch(1);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean listenerWarned = new AtomicBoolean();
    private volatile long startNanos; // run time of request 0

    /** A request spec with its target, headers and body resolved once, not per send. */
    private record Prepared(RequestSpec spec, HttpTransport.Template template) {}

    /**
     * Threads carrying the connections. One keeps up with the scheduler on this 2-core machine (BENCHMARKS.md);
     * more only add handoffs.
     */
    private static final int IO_THREADS = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors() / 2));

    /**
     * Sends at least this far apart are waited for precisely (the last {@link Waits#SPIN_NANOS} spun, at
     * most a tenth of a core). Closer sends are parked for: a park overshoots by ~50 µs, and the sends it
     * made late leave together on waking, their latency still counted from their intended time. Spinning
     * there would hold a whole core (every gap shorter than the spin), taken from the I/O thread and, on a
     * machine shared with the stack under test, from the target. Measured against nginx on a 2-core machine
     * (BENCHMARKS.md §5b): the same throughput, a quarter to a half of a core less at 5k-40k req/s, no
     * queueing at 60k (p50 0.19 ms against 16 ms), for about 0.1 ms more at the median.
     */
    static final long SPIN_GAP_NANOS = 1_000_000;

    /** The range {@link #warmUp} accepts, [1 ms, 60 s]; the messages that name it say "[1ms, 60s]". */
    public static final Duration MIN_WARM_UP = Duration.ofMillis(1);
    public static final Duration MAX_WARM_UP = Duration.ofSeconds(60);

    private LoadGenerator(LoadConfig config, List<RequestListener> initial) {
        this.config = config;
        this.clock = config.clock() != null ? config.clock() : RunClock.startingNow();
        this.listeners.addAll(initial);
        this.stats = new RunStats();
        this.inFlight = new Semaphore(config.maxInFlight());
        URI base = URI.create(config.baseUrl());
        this.mix = config.requests().stream().map(spec -> prepare(base, spec)).toList();
        this.cumulativeWeights = new double[mix.size()];
        double sum = 0;
        for (int i = 0; i < mix.size(); i++) {
            sum += mix.get(i).spec().weight();
            cumulativeWeights[i] = sum;
        }
        this.transport = new HttpTransport(base, config.connectTimeout(), config.callTimeout(), config.maxConnections(), IO_THREADS);
        this.scheduler = new Thread(this::schedule, "faultline-load-scheduler");
        this.scheduler.setDaemon(true);
    }

    /** Starts sending in the background and returns at once. */
    public static LoadGenerator start(LoadConfig config, RequestListener... listeners) {
        Objects.requireNonNull(config, "config");
        LoadGenerator generator = new LoadGenerator(config, List.of(listeners));
        generator.startNanos = generator.clock.nanos();
        generator.scheduler.start();
        log.info("load started: {} against {}", config.profile(), config.baseUrl());
        return generator;
    }

    /** Runs the whole profile and returns its summary once every response is in. */
    public static LoadSummary run(LoadConfig config, RequestListener... listeners) {
        try (LoadGenerator generator = start(config, listeners)) {
            return generator.awaitCompletion(config.profile().duration().plus(config.callTimeout()).plusSeconds(10));
        }
    }

    /**
     * Runs this generator's own path (scheduler, client, codec, statistics) for {@code duration} at
     * {@code rate} against a server inside this JVM, so that the JIT has compiled it before a real target is
     * loaded. Nothing leaves the machine and no target sees a request. A fresh JVM otherwise spends its first
     * second or so interpreting: at 5000 req/s from a cold {@code jshell scripts/load.jsh} the median was
     * 150-250 ms for the first 0.7 s and 0.15 ms after it, so the p99 measured the generator's start, not
     * the target (BENCHMARKS.md section 5b).
     *
     * @param duration how long, in [1 ms, 60 s]
     * @param rate     requests per second, in (0, 100000]
     * @return the warm-up's own figures (the sink answers 200 to everything)
     */
    public static LoadSummary warmUp(Duration duration, double rate) {
        checkWarmUp(duration, rate);
        try (LoopbackSink sink = new LoopbackSink()) {
            return run(LoadConfig.custom().baseUrl(sink.url()).constantRate(rate, duration).request(RequestSpec.get("/")).build());
        }
    }

    /**
     * What {@link #warmUpUntilCompiled} did.
     *
     * @param requests requests sent to the sink
     * @param elapsed  how long it took
     * @param ending   why it stopped
     */
    public record WarmUp(long requests, Duration elapsed, Ending ending) {

        public enum Ending {
            /** A slice in which the compiler worked under a quarter of the time. */
            COMPILER_CAUGHT_UP,
            /** Its time limit, with the compiler still busy. */
            LIMIT,
            /** One slice: this JVM tells neither its compiler threads' CPU nor its compile time. */
            COMPILER_NOT_OBSERVABLE
        }
    }

    /** One step of {@link #warmUpUntilCompiled}: long enough for its compile time to mean something. */
    static final Duration WARM_UP_SLICE = Duration.ofMillis(500);

    /**
     * A slice in which the JIT compiler worked for less than this share of its wall time ends the warm-up. In
     * a fresh jshell at 10 000 req/s on a 2-core machine, the compiler threads took 80-105 % of a core in
     * each 500 ms slice for the first 4-6 s, then 8-16 %, with one slice between (37 %); BENCHMARKS.md
     * section 5b, "A warm-up until the JIT compiler caught up".
     */
    static final double SETTLED_COMPILE_SHARE = 0.25;

    /**
     * Like {@link #warmUp}, repeated in slices of 500 ms until the JIT has caught up with the generator's
     * path: it stops after a slice in which this JVM's JIT compiler worked for under a quarter of the slice
     * ({@link CompilerCpu}), or at {@code max}. A fixed warm-up of a second or two is too short above a few
     * thousand requests a second: a fresh JVM's compiler then needs 4-6 s of CPU, and when that lands in the
     * load (10 000-40 000 req/s on a 2-core machine), the first 0.5-4 s of requests wait 50-200 ms behind it
     * and the figures measure the JIT, not the target.
     *
     * @param max  the longest it may take, in [1 ms, 60 s]
     * @param rate requests per second against the sink, in (0, 100000]
     */
    public static WarmUp warmUpUntilCompiled(Duration max, double rate) {
        return warmUpUntilCompiled(max, rate, WARM_UP_SLICE, CompilerCpu.clock());
    }

    /** @param compileMillis how long the JIT compiler has worked so far, or null when it is not known (then one slice) */
    static WarmUp warmUpUntilCompiled(Duration max, double rate, Duration slice, LongSupplier compileMillis) {
        checkWarmUp(max, rate);
        long began = System.nanoTime();
        if (compileMillis == null) {
            long requests = warmUp(slice.compareTo(max) < 0 ? slice : max, rate).requests();
            return new WarmUp(requests, Duration.ofNanos(System.nanoTime() - began), WarmUp.Ending.COMPILER_NOT_OBSERVABLE);
        }
        long requests = 0;
        while (true) {
            long left = max.toNanos() - (System.nanoTime() - began);
            if (left < MIN_WARM_UP.toNanos()) {
                return new WarmUp(requests, Duration.ofNanos(System.nanoTime() - began), WarmUp.Ending.LIMIT);
            }
            long compiledBefore = compileMillis.getAsLong();
            long sliceBegan = System.nanoTime();
            requests += warmUp(Duration.ofNanos(Math.min(slice.toNanos(), left)), rate).requests();
            double compileShare = (compileMillis.getAsLong() - compiledBefore) * 1e6 / (System.nanoTime() - sliceBegan);
            if (compileShare < SETTLED_COMPILE_SHARE) {
                return new WarmUp(requests, Duration.ofNanos(System.nanoTime() - began), WarmUp.Ending.COMPILER_CAUGHT_UP);
            }
        }
    }

    private static void checkWarmUp(Duration duration, double rate) {
        Objects.requireNonNull(duration, "duration");
        if (duration.compareTo(MIN_WARM_UP) < 0 || duration.compareTo(MAX_WARM_UP) > 0) {
            throw new IllegalArgumentException("warm-up duration must be in [1ms, 60s], was " + duration);
        }
        if (!(rate > 0 && rate <= 100_000)) {
            throw new IllegalArgumentException("warm-up rate must be in (0, 100000] per second, was " + rate);
        }
    }

    /** Adds a listener for the records of requests completing from now on. */
    public void addListener(RequestListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public RunClock clock() {
        return clock;
    }

    public LoadConfig config() {
        return config;
    }

    /** Whether requests are still being scheduled. */
    public boolean isRunning() {
        return scheduleDone.getCount() > 0;
    }

    /** The figures so far; cheap enough to call every second while load runs. */
    public LoadSummary summary() {
        return stats.summary();
    }

    /**
     * Waits for the schedule to end and every in-flight request to finish.
     *
     * @throws IllegalStateException if that takes longer than {@code timeout}
     */
    public LoadSummary awaitCompletion(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!scheduleDone.await(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    || !drain(deadline - System.nanoTime())) {
                throw new IllegalStateException("load did not complete within " + timeout + ": "
                        + (config.maxInFlight() - inFlight.availablePermits()) + " requests still in flight");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the load to complete", e);
        }
        return stats.summary();
    }

    /**
     * Stops scheduling, waits up to the call timeout for in-flight requests, and returns the summary.
     * Requests still running then are abandoned (their calls are cancelled as the client shuts down).
     */
    public LoadSummary stop() {
        if (stopping.compareAndSet(false, true)) {
            scheduler.interrupt();
            try {
                scheduleDone.await();
                drain(config.callTimeout().plusSeconds(1).toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            shutdownClient();
            log.info("load stopped");
        }
        return stats.summary();
    }

    @Override
    public void close() {
        stop();
    }

    // --- scheduling

    private void schedule() {
        LoadProfile profile = config.profile();
        long total = profile.totalRequests();
        // System.nanoTime() value of run time 0, so deadlines can be waited for on the precise clock
        long toSystem = System.nanoTime() - clock.nanos();
        long tolerance = config.sendTolerance().toNanos();
        SplittableRandom random = new SplittableRandom(config.seed());
        try {
            long previousOffset = -SPIN_GAP_NANOS; // the first send is waited for precisely
            // System.nanoTime() when this thread last stopped waiting for an in-flight slot: the sends it reaches late
            // because of that wait are late through the target's slowness, not the generator's
            long slotWaitEnded = Long.MIN_VALUE;
            for (long i = 0; i < total && !stopping.get(); i++) {
                long offset = profile.offsetNanos(i);
                long intended = startNanos + offset;
                Prepared request = pick(random);
                long spin = offset - previousOffset >= SPIN_GAP_NANOS ? Waits.SPIN_NANOS : 0;
                previousOffset = offset;
                if (!Waits.until(intended + toSystem, spin, stopping::get, Waits.PARK)) break;
                // how late this thread got here through its own delay (SenderLag): not the time it spent waiting for
                // a slot for this send (below) or for an earlier one
                long lag = Math.max(0, System.nanoTime() - Math.max(intended + toSystem, slotWaitEnded));
                long slotDeadline = intended + tolerance + toSystem;
                if (!inFlight.tryAcquire()) {
                    long wait = slotDeadline - System.nanoTime();
                    boolean got = wait > 0 && inFlight.tryAcquire(wait, TimeUnit.NANOSECONDS);
                    slotWaitEnded = System.nanoTime();
                    if (!got) {
                        // the cap stayed full: because the target is slow, or because answers that came wait for
                        // this generator's event loops, which are then behind on every request
                        publish(new RequestRecord(intended, RequestRecord.NOT_SENT, RequestRecord.NOT_SENT, 0,
                                ErrorClass.OTHER, request.spec().name(), null,
                                request.spec().trackWrites() ? WriteOutcome.FAILED : null,
                                lag + transport.recentQueueNanos()));
                        continue;
                    }
                }
                send(request, intended, lag);
            }
        } catch (InterruptedException e) {
            // stop()
        } finally {
            scheduleDone.countDown();
        }
    }

    private Prepared pick(SplittableRandom random) {
        if (mix.size() == 1) return mix.get(0);
        double x = random.nextDouble() * cumulativeWeights[cumulativeWeights.length - 1];
        for (int i = 0; i < cumulativeWeights.length; i++) {
            if (x < cumulativeWeights[i]) return mix.get(i);
        }
        return mix.get(mix.size() - 1);
    }

    private boolean drain(long timeoutNanos) throws InterruptedException {
        int all = config.maxInFlight();
        if (!inFlight.tryAcquire(all, Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS)) return false;
        inFlight.release(all);
        return true;
    }

    // --- one request

    private void send(Prepared request, long intended, long lag) {
        RequestSpec spec = request.spec();
        long actual = clock.nanos();
        transport.send(request.template(), spec.trackWrites(), (status, body, failure, queued) -> {
            long end = clock.nanos();
            ErrorClass error;
            Long writeId = null;
            if (failure != null) {
                error = ErrorClass.ofException(failure);
                log.debug("{} failed ({}): {}", spec.name(), error.label(), failure.toString());
            } else {
                error = ErrorClass.ofStatus(status);
                if (spec.trackWrites() && error == ErrorClass.NONE) writeId = parseId(body);
            }
            try {
                publish(new RequestRecord(intended, actual, end - intended, status, error, spec.name(), writeId,
                        spec.trackWrites() ? WriteOutcome.of(status, error, writeId) : null, lag + queued));
            } finally {
                // after publishing, so that a completed drain means every record is in the summary
                inFlight.release();
            }
        });
    }

    /** The {"id": N} of a write's response; null when absent or not a number. */
    static Long parseId(byte[] body) {
        try {
            JsonNode id = JSON.readTree(body).get("id");
            if (id == null) return null;
            if (id.isIntegralNumber() && id.canConvertToLong()) return id.asLong();
            // some APIs send ids as strings
            if (id.isTextual() && id.asText().matches("-?\\d{1,18}")) return Long.valueOf(id.asText());
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void publish(RequestRecord record) {
        stats.add(record);
        for (RequestListener listener : listeners) {
            try {
                listener.onRequest(record);
            } catch (RuntimeException e) {
                if (listenerWarned.compareAndSet(false, true)) {
                    log.warn("a load listener threw; its exceptions are ignored from now on", e);
                }
            }
        }
    }

    private static Prepared prepare(URI base, RequestSpec spec) {
        URI url;
        try {
            url = base.resolve(spec.path());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("path '" + spec.path() + "' does not resolve against " + base, e);
        }
        return new Prepared(spec, HttpTransport.template(base, url, spec.method(), spec.headers(), spec.body(), spec.contentType()));
    }

    private void shutdownClient() {
        transport.close();
    }
}
