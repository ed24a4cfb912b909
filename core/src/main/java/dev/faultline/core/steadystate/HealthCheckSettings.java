package dev.faultline.core.steadystate;

import dev.faultline.core.probe.HttpProbe;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The parameters of {@code scripts/health-check.jsh}, read from environment variables and
 * validated all at once, with messages that name the variable and the range it accepts.
 *
 * @param duration zero means a single quick check
 */
public record HealthCheckSettings(String url, Duration interval, Duration duration, int expectStatus, double minAvailabilityPercent) {

    public static final String URL = "FAULTLINE_URL";
    public static final String INTERVAL = "FAULTLINE_INTERVAL";
    public static final String DURATION = "FAULTLINE_DURATION";
    public static final String EXPECT_STATUS = "FAULTLINE_EXPECT_STATUS";
    public static final String MIN_AVAILABILITY = "FAULTLINE_MIN_AVAILABILITY";

    public HealthCheckSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(duration, "duration");
    }

    /**
     * @throws IllegalArgumentException for the first bad parameter
     */
    public static HealthCheckSettings fromEnvironment(Map<String, String> env) {
        String url = env.getOrDefault(URL, "http://localhost:8081/health/").trim();
        Duration interval = Durations.parse(INTERVAL, env.getOrDefault(INTERVAL, "1s"));
        if (interval.toMillis() < 1 || interval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException(INTERVAL + " must be between 1ms and 1h, got '" + env.get(INTERVAL) + "'");
        }
        Duration duration = Durations.parse(DURATION, env.getOrDefault(DURATION, "30s"));
        if (duration.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException(DURATION + " must be between 0 (a single check) and 7 days, got '" + env.get(DURATION) + "'");
        }
        int status = parseInt(EXPECT_STATUS, env.getOrDefault(EXPECT_STATUS, "200"), 100, 599);
        double min = parseDouble(MIN_AVAILABILITY, env.getOrDefault(MIN_AVAILABILITY, "100"), 0, 100);
        HealthCheckSettings settings = new HealthCheckSettings(url, interval, duration, status, min);
        try {
            settings.probe();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(URL + " must be an http:// or https:// URL, got '" + url + "'", e);
        }
        return settings;
    }

    public HttpProbe probe() {
        return HttpProbe.get(url).status(expectStatus);
    }

    public boolean quick() {
        return duration.isZero();
    }

    public HealthWatch watch() {
        return HealthWatch.of(probe()).every(interval).during(duration);
    }

    private static int parseInt(String name, String value, int min, int max) {
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= min && v <= max) return v;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number in [" + min + ", " + max + "], got '" + value + "'");
    }

    private static double parseDouble(String name, String value, double min, double max) {
        try {
            double v = Double.parseDouble(value.trim().replaceFirst("%$", ""));
            if (v >= min && v <= max) return v;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a percentage in [0, 100], got '" + value + "'");
    }
}
