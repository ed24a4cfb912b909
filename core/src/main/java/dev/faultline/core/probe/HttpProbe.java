package dev.faultline.core.probe;

import dev.faultline.core.time.Durations;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * An HTTP GET with expectations: a status (or range), optionally a maximum latency and a body
 * substring. Immutable: each option returns a new probe, validated when it is made.
 *
 * <pre>{@code
 * Probe health = HttpProbe.get("http://localhost:8081/health/").status(200).latencyBelow(Duration.ofMillis(500));
 * }</pre>
 *
 * <p>All HTTP probes share one client with explicit timeouts, kept apart from any load
 * generator's client so that load cannot starve the probes. Retries on connection failure are
 * off: a reset or refused connection is an observation, not something to hide.
 */
public final class HttpProbe implements Probe {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);
    private static final int BODY_LIMIT = 64 * 1024;

    private static final class Shared {
        static final OkHttpClient CLIENT = new OkHttpClient.Builder()
                .connectTimeout(5, TimeUnit.SECONDS)
                .readTimeout(30, TimeUnit.SECONDS)
                .writeTimeout(10, TimeUnit.SECONDS)
                .callTimeout(60, TimeUnit.SECONDS)
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .build();
    }

    private final HttpUrl url;
    private final int minStatus;
    private final int maxStatus;
    private final Duration maxLatency;
    private final String bodyContains;
    private final Duration timeout;
    private final Clock clock;

    private HttpProbe(HttpUrl url, int minStatus, int maxStatus, Duration maxLatency, String bodyContains, Duration timeout, Clock clock) {
        this.url = url;
        this.minStatus = minStatus;
        this.maxStatus = maxStatus;
        this.maxLatency = maxLatency;
        this.bodyContains = bodyContains;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** GET {@code url}, expecting a 2xx status within 5 s until told otherwise. */
    public static HttpProbe get(String url) {
        Objects.requireNonNull(url, "url");
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) {
            throw new IllegalArgumentException("url must be an http:// or https:// URL, got '" + url + "'");
        }
        return new HttpProbe(parsed, 200, 299, null, null, DEFAULT_TIMEOUT, Clock.systemUTC());
    }

    /** Expects exactly this status. */
    public HttpProbe status(int status) {
        return statusBetween(status, status);
    }

    /** Expects a status in {@code [min, max]}, e.g. 200..399. */
    public HttpProbe statusBetween(int min, int max) {
        checkStatus("min", min);
        checkStatus("max", max);
        if (min > max) {
            throw new IllegalArgumentException("status range min must be <= max, got " + min + ".." + max);
        }
        return new HttpProbe(url, min, max, maxLatency, bodyContains, timeout, clock);
    }

    /** Fails a check whose answer took longer than {@code max} (the answer is still read). */
    public HttpProbe latencyBelow(Duration max) {
        Objects.requireNonNull(max, "max");
        if (max.isNegative() || max.isZero()) {
            throw new IllegalArgumentException("latencyBelow must be positive, got " + max);
        }
        return new HttpProbe(url, minStatus, maxStatus, max, bodyContains, timeout, clock);
    }

    /** Fails a check whose body (first 64 KiB) does not contain {@code text}. */
    public HttpProbe bodyContains(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("bodyContains must be a non-empty string");
        }
        return new HttpProbe(url, minStatus, maxStatus, maxLatency, text, timeout, clock);
    }

    /** Gives up on a call after {@code timeout} (connect, send and read together); 5 s by default. */
    public HttpProbe timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout must be in (0, " + MAX_TIMEOUT + "], got " + timeout);
        }
        return new HttpProbe(url, minStatus, maxStatus, maxLatency, bodyContains, timeout, clock);
    }

    /** Stamps results with this clock (latency is always measured on the monotonic clock). */
    public HttpProbe clock(Clock clock) {
        return new HttpProbe(url, minStatus, maxStatus, maxLatency, bodyContains, timeout, Objects.requireNonNull(clock, "clock"));
    }

    private static void checkStatus(String name, int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("expected status " + name + " must be in [100, 599], got " + status);
        }
    }

    public String url() {
        return url.toString();
    }

    public Duration timeout() {
        return timeout;
    }

    @Override
    public String name() {
        String expected = minStatus == maxStatus ? Integer.toString(minStatus) : minStatus + ".." + maxStatus;
        return "GET " + url + " -> " + expected
                + (maxLatency == null ? "" : " within " + maxLatency.toMillis() + " ms")
                + (bodyContains == null ? "" : " containing '" + bodyContains + "'");
    }

    @Override
    public ProbeResult check() {
        Instant time = clock.instant();
        long start = System.nanoTime();
        var call = Shared.CLIENT.newCall(new Request.Builder().url(url).get().build());
        call.timeout().timeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
        try (Response response = call.execute()) {
            int status = response.code();
            String body = readBody(response.body());
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            String took = " in " + Durations.latency(latency);
            if (status < minStatus || status > maxStatus) {
                ErrorClass error = ErrorClass.ofStatus(status);
                return new ProbeResult(name(), time, false, latency, error == ErrorClass.NONE ? ErrorClass.UNEXPECTED : error,
                        status + " (expected " + expectedStatus() + ")" + took);
            }
            if (maxLatency != null && latency.compareTo(maxLatency) > 0) {
                return new ProbeResult(name(), time, false, latency, ErrorClass.UNEXPECTED,
                        status + took + ", slower than " + Durations.latency(maxLatency));
            }
            if (bodyContains != null && !body.contains(bodyContains)) {
                return new ProbeResult(name(), time, false, latency, ErrorClass.UNEXPECTED,
                        status + took + ", body does not contain '" + bodyContains + "'");
            }
            return new ProbeResult(name(), time, true, latency, ErrorClass.NONE, status + took);
        } catch (IOException | RuntimeException e) {
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            ErrorClass error = ErrorClass.ofException(e);
            if (error == ErrorClass.OTHER && call.isCanceled()) error = ErrorClass.TIMEOUT;
            return new ProbeResult(name(), time, false, latency, error, error.label() + " after " + Durations.latency(latency)
                    + (error == ErrorClass.OTHER ? " (" + e + ")" : ""));
        }
    }

    private String expectedStatus() {
        return minStatus == maxStatus ? Integer.toString(minStatus) : minStatus + ".." + maxStatus;
    }

    private static String readBody(ResponseBody body) throws IOException {
        if (body == null) return "";
        var source = body.source();
        source.request(BODY_LIMIT);
        long available = Math.min(source.getBuffer().size(), BODY_LIMIT);
        String text = source.getBuffer().readUtf8(available);
        return text;
    }

    @Override
    public String toString() {
        return name();
    }
}
