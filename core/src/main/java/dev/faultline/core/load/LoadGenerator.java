package dev.faultline.core.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.faultline.core.observe.RunClock;
import dev.faultline.core.probe.ErrorClass;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.EventListener;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

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
 * Requests are synchronous OkHttp calls on a pool of threads, so OkHttp's Dispatcher limits (64 calls,
 * 5 per host) do not apply; in-flight requests are capped by {@link LoadConfig#maxInFlight()}, and a send
 * that cannot get a slot within {@link LoadConfig#sendTolerance()} is recorded as dropped, never lost.
 */
public final class LoadGenerator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LoadGenerator.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoadConfig config;
    private final RunClock clock;
    private final OkHttpClient client;
    private final List<Prepared> mix;
    private final double[] cumulativeWeights;
    private final List<RequestListener> listeners = new CopyOnWriteArrayList<>();
    private final RunStats stats;
    private final Semaphore inFlight;
    private final ExecutorService workers;
    private final Thread scheduler;
    private final CountDownLatch scheduleDone = new CountDownLatch(1);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean listenerWarned = new AtomicBoolean();
    private volatile long startNanos; // run time of request 0

    /** A request spec with its URL and body resolved once, not per send. */
    private record Prepared(RequestSpec spec, HttpUrl url, RequestBody body) {}

    /** Methods a client may resend when the first try never reached the application (RFC 9110 idempotent methods). */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE");
    /** Tries of one request when pooled connections turn out stale: the first, and two on fresh connections. */
    private static final int MAX_TRIES = 3;

    /**
     * What happened on the wire during one try, filled by OkHttp's events: enough to tell a pooled
     * connection the server had already closed (a stale keep-alive) from a reset of a live request.
     */
    private static final class Attempt extends EventListener {
        volatile boolean acquired;
        volatile boolean connected;
        volatile boolean responseStarted;

        @Override
        public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
            connected = true;
        }

        @Override
        public void connectionAcquired(Call call, Connection connection) {
            acquired = true;
        }

        @Override
        public void responseHeadersStart(Call call) {
            responseStarted = true;
        }

        /** The try failed on a reused connection before any answer: the server had closed it while idle. */
        boolean staleConnection() {
            return acquired && !connected && !responseStarted;
        }
    }

    private LoadGenerator(LoadConfig config, List<RequestListener> initial) {
        this.config = config;
        this.clock = config.clock() != null ? config.clock() : RunClock.startingNow();
        this.listeners.addAll(initial);
        this.stats = new RunStats(config.sendTolerance().toNanos());
        this.inFlight = new Semaphore(config.maxInFlight());
        HttpUrl base = HttpUrl.parse(config.baseUrl());
        if (base == null) throw new IllegalArgumentException("baseUrl is not an http(s) URL: '" + config.baseUrl() + "'");
        this.mix = config.requests().stream().map(spec -> prepare(base, spec)).toList();
        this.cumulativeWeights = new double[mix.size()];
        double sum = 0;
        for (int i = 0; i < mix.size(); i++) {
            sum += mix.get(i).spec().weight();
            cumulativeWeights[i] = sum;
        }
        AtomicInteger threadIds = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "faultline-load-" + threadIds.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Dispatcher dispatcher = new Dispatcher(workers);
        // only async calls go through these limits; set them anyway so nobody trips over the defaults (64, 5 per host)
        dispatcher.setMaxRequests(config.maxInFlight());
        dispatcher.setMaxRequestsPerHost(config.maxInFlight());
        this.client = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                // the default keeps 5 idle connections: every other request would pay a new connect
                .connectionPool(new ConnectionPool(config.maxInFlight(), 1, TimeUnit.MINUTES))
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.callTimeout())
                .writeTimeout(config.callTimeout())
                .callTimeout(config.callTimeout())
                // a silent retry would hide the very resets and refusals a chaos run is looking for;
                // the one retry we do allow is in send(), for stale keep-alive connections only
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .proxy(Proxy.NO_PROXY)
                .eventListenerFactory(call -> {
                    Attempt attempt = call.request().tag(Attempt.class);
                    return attempt != null ? attempt : EventListener.NONE;
                })
                .build();
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
            for (long i = 0; i < total && !stopping.get(); i++) {
                long intended = startNanos + profile.offsetNanos(i);
                Prepared request = pick(random);
                if (!Waits.until(intended + toSystem)) break;
                long slotDeadline = intended + tolerance + toSystem;
                if (!inFlight.tryAcquire()) {
                    long wait = slotDeadline - System.nanoTime();
                    if (wait <= 0 || !inFlight.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
                        publish(new RequestRecord(intended, RequestRecord.NOT_SENT, RequestRecord.NOT_SENT, 0,
                                ErrorClass.OTHER, request.spec().name(), null,
                                request.spec().trackWrites() ? WriteOutcome.FAILED : null));
                        continue;
                    }
                }
                try {
                    workers.execute(() -> send(request, intended));
                } catch (RejectedExecutionException e) {
                    inFlight.release();
                    break;
                }
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

    private void send(Prepared request, long intended) {
        RequestSpec spec = request.spec();
        int status = 0;
        ErrorClass error;
        Long writeId = null;
        long actual = clock.nanos();
        long end;
        try {
            Response first = null;
            for (int tries = 1; first == null; tries++) {
                Attempt attempt = new Attempt();
                try {
                    first = client.newCall(build(request, attempt)).execute();
                } catch (IOException e) {
                    // A server may close an idle keep-alive connection without saying so (HTTP/1.0 servers, idle
                    // timeouts shorter than our pool's); OkHttp checks pooled connections before reuse only for
                    // non-GET requests. Resending an idempotent request that never reached the server is what
                    // browsers and Go's client do; a live server that resets will reset the fresh try as well.
                    if (tries >= MAX_TRIES || !attempt.staleConnection() || !IDEMPOTENT.contains(spec.method())
                            || ErrorClass.ofException(e) != ErrorClass.RESET) {
                        throw e;
                    }
                    log.debug("{}: pooled connection was stale ({}), retrying on a new one", spec.name(), e.toString());
                    // when one idle connection was closed under us, the others likely were too
                    client.connectionPool().evictAll();
                }
            }
            try (Response response = first) {
                status = response.code();
                error = ErrorClass.ofStatus(status);
                if (spec.trackWrites() && error == ErrorClass.NONE) {
                    writeId = parseId(response.body().bytes());
                } else {
                    try (InputStream in = response.body().byteStream()) {
                        in.transferTo(OutputStream.nullOutputStream());
                    }
                }
            }
            end = clock.nanos();
        } catch (IOException e) {
            end = clock.nanos();
            error = ErrorClass.ofException(e);
            log.debug("{} failed ({}): {}", spec.name(), error.label(), e.toString());
            status = 0;
            writeId = null;
        } catch (RuntimeException e) {
            end = clock.nanos();
            log.debug("request {} failed unexpectedly", spec.name(), e);
            error = ErrorClass.OTHER;
            status = 0;
            writeId = null;
        }
        try {
            publish(new RequestRecord(intended, actual, end - intended, status, error, spec.name(), writeId,
                    spec.trackWrites() ? WriteOutcome.of(status, error, writeId) : null));
        } finally {
            // after publishing, so that a completed drain means every record is in the summary
            inFlight.release();
        }
    }

    private static Request build(Prepared request, Attempt attempt) {
        Request.Builder builder = new Request.Builder().url(request.url()).method(request.spec().method(), request.body())
                .tag(Attempt.class, attempt);
        request.spec().headers().forEach(builder::header);
        return builder.build();
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

    private static Prepared prepare(HttpUrl base, RequestSpec spec) {
        HttpUrl url = base.resolve(spec.path());
        if (url == null) throw new IllegalArgumentException("path '" + spec.path() + "' does not resolve against " + base);
        RequestBody body = spec.body() == null ? null : RequestBody.create(spec.body(), MediaType.parse(spec.contentType()));
        return new Prepared(spec, url, body);
    }

    private void shutdownClient() {
        client.dispatcher().cancelAll();
        workers.shutdownNow();
        client.connectionPool().evictAll();
    }
}
