package dev.faultline.core.steadystate;

import dev.faultline.core.probe.ProbeResult;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code scripts/health-check.jsh} does, returning its exit code: 0 when the steady state
 * held, 1 when it did not, 2 for bad parameters.
 */
public final class HealthCheckCommand {

    private HealthCheckCommand() {}

    public static int run(Map<String, String> environment, PrintStream out) {
        HealthCheckSettings settings;
        try {
            settings = HealthCheckSettings.fromEnvironment(environment);
        } catch (IllegalArgumentException e) {
            out.println("Bad parameter: " + e.getMessage());
            return 2;
        }
        if (settings.quick()) {
            ProbeResult r = HealthWatch.quickCheck(settings.probe());
            out.println(HealthWatch.line(r));
            return r.ok() ? 0 : 1;
        }
        HealthWatch watch = settings.watch();
        out.printf(Locale.ROOT, "Checking %s every %s for %s (%d checks); steady state needs %s %% availability%n",
                settings.probe().name(), HealthSummary.seconds(settings.interval()), HealthSummary.seconds(settings.duration()),
                watch.plannedChecks(), fmt(settings.minAvailabilityPercent()));
        HealthSummary summary = watch.printTo(out).run();
        out.println();
        out.print(summary.render());
        boolean held = summary.held(settings.minAvailabilityPercent());
        out.printf(Locale.ROOT, "Steady state %s: availability %.2f %% %s %s %%%n", held ? "HELD" : "NOT HELD",
                summary.availabilityPercent(), held ? ">=" : "<", fmt(settings.minAvailabilityPercent()));
        return held ? 0 : 1;
    }

    private static String fmt(double percent) {
        return percent == Math.rint(percent) ? Long.toString((long) percent) : Double.toString(percent);
    }
}
