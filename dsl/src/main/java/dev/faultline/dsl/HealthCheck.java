package dev.faultline.dsl;

import dev.faultline.core.probe.HttpProbe;
import java.time.Duration;
import java.util.Optional;

/**
 * An HTTP health check, made by {@link Probes#health()}. Without a URL it checks the project's
 * health URL (FAULTLINE_URL, or the demo's {@code http://localhost:8081/health/}). Immutable.
 *
 * @param url          empty: the project's health URL
 * @param status       the status that counts as healthy
 * @param latencyBelow a slower answer counts as unhealthy
 * @param timeout      a call that takes longer fails as a timeout
 */
public record HealthCheck(Optional<String> url, int status, Optional<Duration> latencyBelow, Duration timeout) {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);

    public HealthCheck {
        Args.notNull("url", url).ifPresent(u -> Args.httpUrl("url", u));
        Args.between("status", status, 100, 599);
        Args.notNull("latencyBelow", latencyBelow).ifPresent(l -> Args.positive("latencyBelow", l, MAX_TIMEOUT));
        Args.positive("timeout", timeout, MAX_TIMEOUT);
    }

    public HealthCheck status(int status) {
        return new HealthCheck(url, status, latencyBelow, timeout);
    }

    public HealthCheck latencyBelow(Duration max) {
        return new HealthCheck(url, status, Optional.of(Args.positive("latencyBelow", max, MAX_TIMEOUT)), timeout);
    }

    public HealthCheck timeout(Duration timeout) {
        return new HealthCheck(url, status, latencyBelow, timeout);
    }

    /** The probe, with the project's health URL where this check names none. */
    HttpProbe toProbe(String defaultUrl) {
        HttpProbe probe = HttpProbe.get(url.orElse(defaultUrl)).status(status).timeout(timeout);
        return latencyBelow.map(probe::latencyBelow).orElse(probe);
    }
}
