package dev.faultline.core.cli;

import dev.faultline.core.time.Durations;
import dev.faultline.core.probe.HttpProbe;
import dev.faultline.core.probe.ProbeResult;
import dev.faultline.core.steadystate.HealthSummary;
import dev.faultline.core.steadystate.HealthWatch;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code scripts/health-check.jsh} does, returning its exit code: 0 when the steady state
 * held, 1 when it did not, 2 for bad parameters. FAULTLINE_URL (required), FAULTLINE_INTERVAL
 * (default 1s, in [1 ms, 1 h]), FAULTLINE_DURATION (default 30s, 0 = one quick check, at most 7
 * days), FAULTLINE_EXPECT_STATUS (default 200), FAULTLINE_MIN_AVAILABILITY (default 100 %).
 */
public final class HealthCheckCommand {

    private HealthCheckCommand() {}

    public static int run(Map<String, String> environment, PrintStream out) {
        HttpProbe probe;
        Duration interval;
        Duration duration;
        double minAvailability;
        try {
            Settings settings = Settings.from(environment);
            String url = settings.url().orElseThrow(() -> new IllegalArgumentException(
                    Settings.URL + " must be set to the http:// or https:// URL to check"));
            interval = settings.interval().orElse(Duration.ofSeconds(1));
            if (interval.toMillis() < 1 || interval.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException(Settings.INTERVAL + " must be between 1ms and 1h, got '"
                        + environment.get(Settings.INTERVAL) + "'");
            }
            duration = settings.duration().orElse(Duration.ofSeconds(30));
            if (duration.compareTo(Duration.ofDays(7)) > 0) {
                throw new IllegalArgumentException(Settings.DURATION + " must be between 0 (a single check) and 7 days, got '"
                        + environment.get(Settings.DURATION) + "'");
            }
            probe = HttpProbe.get(url).status(settings.expectStatus().orElse(200));
            minAvailability = settings.minAvailabilityPercent().orElse(100.0);
        } catch (IllegalArgumentException e) {
            out.println("Bad parameter: " + e.getMessage());
            return 2;
        }
        if (duration.isZero()) {
            ProbeResult r = HealthWatch.quickCheck(probe);
            out.println(HealthWatch.line(r));
            return r.ok() ? 0 : 1;
        }
        HealthWatch watch = HealthWatch.of(probe).every(interval).during(duration);
        out.printf(Locale.ROOT, "Checking %s every %s for %s (%d checks); steady state needs %s %% availability%n",
                probe.name(), Durations.words(interval), Durations.words(duration),
                watch.plannedChecks(), fmt(minAvailability));
        HealthSummary summary = watch.printTo(out).run();
        out.println();
        out.print(summary.render());
        boolean held = summary.held(minAvailability);
        out.printf(Locale.ROOT, "Steady state %s: availability %.2f %% %s %s %%%n", held ? "HELD" : "NOT HELD",
                summary.availabilityPercent(), held ? ">=" : "<", fmt(minAvailability));
        return held ? 0 : 1;
    }

    private static String fmt(double percent) {
        return percent == Math.rint(percent) ? Long.toString((long) percent) : Double.toString(percent);
    }
}
