package dev.faultline.core.steadystate;

import dev.faultline.core.time.Durations;
import dev.faultline.core.probe.ErrorClass;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a health watch saw.
 *
 * @param skipped schedule slots left out because a check ran past them (a slow check is not
 *                followed by a burst of catch-up checks)
 * @param errors  failed checks by error class, in {@link ErrorClass} order
 */
public record HealthSummary(
        String probe,
        Duration interval,
        Duration elapsed,
        int checks,
        int ok,
        int skipped,
        Duration p50,
        Duration p99,
        Optional<Outage> longestOutage,
        Map<ErrorClass, Integer> errors) {

    public HealthSummary {
        errors = Map.copyOf(errors);
    }

    public int failed() {
        return checks - ok;
    }

    /** Percentage of checks that were ok; 0 when nothing was checked. */
    public double availabilityPercent() {
        return checks == 0 ? 0 : 100.0 * ok / checks;
    }

    /** True when at least one check ran and availability reached {@code minPercent}. */
    public boolean held(double minPercent) {
        return checks > 0 && availabilityPercent() >= minPercent;
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);

    public String render() {
        StringBuilder out = new StringBuilder();
        out.append(probe).append(": ").append(checks).append(checks == 1 ? " check" : " checks")
                .append(" in ").append(Durations.words(elapsed)).append(" every ").append(Durations.words(interval));
        if (skipped > 0) out.append(" (").append(skipped).append(" slots skipped while a check ran late)");
        out.append('\n');
        out.append(String.format(Locale.ROOT, "  availability    %.2f %% (%d ok, %d failed)%n", availabilityPercent(), ok, failed()));
        out.append("  latency         p50 ").append(Durations.latency(p50)).append(", p99 ").append(Durations.latency(p99)).append('\n');
        out.append("  longest outage  ").append(longestOutage.map(o -> Durations.words(o.duration()) + " from "
                + TIME.format(LocalTime.ofInstant(o.start(), ZoneId.systemDefault())) + " (" + o.failedChecks()
                + (o.failedChecks() == 1 ? " failed check" : " failed checks") + (o.recovered() ? ")" : ", not recovered at the end)"))
                .orElse("none")).append('\n');
        out.append("  errors          ").append(errors.isEmpty() ? "none" : errors.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey().label() + ": " + e.getValue())
                .collect(Collectors.joining(", "))).append('\n');
        return out.toString();
    }

    @Override
    public String toString() {
        return render();
    }
}
