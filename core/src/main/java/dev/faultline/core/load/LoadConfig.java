package dev.faultline.core.load;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.faultline.core.observe.RunClock;

/**
 * Everything a {@link LoadGenerator} needs, validated when built with {@link #custom()}.
 *
 * @param baseUrl        what relative request paths resolve against, e.g. "http://localhost:8081/"
 * @param profile        the rate over time
 * @param requests       the weighted mix
 * @param connectTimeout per connection attempt
 * @param callTimeout    per request, from the send to the end of the response body
 * @param maxInFlight    cap on requests in flight; beyond it, sends wait up to {@code sendTolerance}, then are dropped
 * @param maxConnections cap on connections open to the target, at most {@code maxInFlight} (the default); beyond
 *                       it, requests wait in the generator for a connection to come free, their latency still
 *                       counted from their intended send time. Like hey's {@code -c} or wrk's {@code -c}: a target
 *                       that slows with many connections can be loaded as those tools load it.
 * @param sendTolerance  how late after its intended time a send may still leave when the in-flight cap is
 *                       reached; past it the send is dropped. It does not decide whether a send counts as late (the
 *                       generator's own delay): {@link dev.faultline.core.probe.SenderLag} does, with a fixed 50 ms
 * @param seed           for picking from the mix, so a run's sequence of requests is reproducible
 * @param clock          the run's clock, shared with the timeline; null: a new one when the load starts
 */
public record LoadConfig(String baseUrl, LoadProfile profile, List<RequestSpec> requests, Duration connectTimeout,
                         Duration callTimeout, int maxInFlight, int maxConnections, Duration sendTolerance, long seed,
                         RunClock clock) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_IN_FLIGHT = 1024;
    public static final Duration DEFAULT_SEND_TOLERANCE = Duration.ofMillis(50);

    public LoadConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(requests, "requests");
        checkBaseUrl(baseUrl);
        requests = List.copyOf(requests);
        if (requests.isEmpty()) throw new IllegalArgumentException("requests must not be empty: add at least one RequestSpec");
        checkPositive("connectTimeout", connectTimeout);
        checkPositive("callTimeout", callTimeout);
        if (maxInFlight < 1 || maxInFlight > 100_000) {
            throw new IllegalArgumentException("maxInFlight must be in [1, 100000], was " + maxInFlight);
        }
        if (maxConnections < 1 || maxConnections > maxInFlight) {
            throw new IllegalArgumentException("maxConnections must be in [1, maxInFlight = " + maxInFlight + "], was " + maxConnections);
        }
        Objects.requireNonNull(sendTolerance, "sendTolerance");
        if (sendTolerance.isNegative()) throw new IllegalArgumentException("sendTolerance must be >= 0, was " + sendTolerance);
    }

    public static Builder custom() {
        return new Builder();
    }

    public static Builder from(LoadConfig base) {
        Builder b = new Builder();
        b.baseUrl = base.baseUrl;
        b.profile = base.profile;
        b.requests.addAll(base.requests);
        b.connectTimeout = base.connectTimeout;
        b.callTimeout = base.callTimeout;
        b.maxInFlight = base.maxInFlight;
        b.maxConnections = base.maxConnections;
        b.sendTolerance = base.sendTolerance;
        b.seed = base.seed;
        b.clock = base.clock;
        return b;
    }

    private static void checkBaseUrl(String url) {
        try {
            URI uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("baseUrl must be an http(s) URL with a host, was '" + url + "'");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("baseUrl is not a valid URL: '" + url + "' (" + e.getReason() + ")", e);
        }
    }

    private static void checkPositive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException(name + " must be > 0 and at most 1 day, was " + d);
        }
    }

    public static final class Builder {
        private String baseUrl;
        private LoadProfile profile;
        private final List<RequestSpec> requests = new ArrayList<>();
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private Integer maxConnections; // null: as many as maxInFlight
        private Duration sendTolerance = DEFAULT_SEND_TOLERANCE;
        private long seed = 1;
        private RunClock clock;

        private Builder() {}

        public Builder baseUrl(String baseUrl) {
            checkBaseUrl(Objects.requireNonNull(baseUrl, "baseUrl"));
            this.baseUrl = baseUrl;
            return this;
        }

        public Builder profile(LoadProfile profile) {
            this.profile = Objects.requireNonNull(profile, "profile");
            return this;
        }

        /** Shorthand for a constant-rate profile. */
        public Builder constantRate(double perSecond, Duration duration) {
            return profile(LoadProfile.constant(perSecond, duration));
        }

        public Builder request(RequestSpec spec) {
            requests.add(Objects.requireNonNull(spec, "spec"));
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            checkPositive("connectTimeout", timeout);
            this.connectTimeout = timeout;
            return this;
        }

        public Builder callTimeout(Duration timeout) {
            checkPositive("callTimeout", timeout);
            this.callTimeout = timeout;
            return this;
        }

        public Builder maxInFlight(int max) {
            if (max < 1 || max > 100_000) throw new IllegalArgumentException("maxInFlight must be in [1, 100000], was " + max);
            this.maxInFlight = max;
            return this;
        }

        /** At most this many connections to the target, in [1, maxInFlight]; by default as many as maxInFlight. */
        public Builder maxConnections(int max) {
            if (max < 1 || max > 100_000) throw new IllegalArgumentException("maxConnections must be in [1, 100000], was " + max);
            this.maxConnections = max;
            return this;
        }

        public Builder sendTolerance(Duration tolerance) {
            Objects.requireNonNull(tolerance, "sendTolerance");
            if (tolerance.isNegative()) throw new IllegalArgumentException("sendTolerance must be >= 0, was " + tolerance);
            this.sendTolerance = tolerance;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder clock(RunClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public LoadConfig build() {
            if (profile == null) throw new IllegalStateException("profile(...) or constantRate(...) must be set before build()");
            // no default address: the demo's is the demo's, not the library's
            if (baseUrl == null) throw new IllegalStateException("baseUrl(...) must be set before build(): the http(s) address "
                    + "relative request paths resolve against");
            List<RequestSpec> mix = requests.isEmpty() ? List.of(RequestSpec.get("/")) : requests;
            return new LoadConfig(baseUrl, profile, mix, connectTimeout, callTimeout, maxInFlight,
                    maxConnections == null ? maxInFlight : maxConnections, sendTolerance, seed, clock);
        }
    }
}
