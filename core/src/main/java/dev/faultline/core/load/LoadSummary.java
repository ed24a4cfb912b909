package dev.faultline.core.load;

import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

import dev.faultline.core.probe.ErrorClass;

/**
 * The figures of a load run (or of records read back from a results file).
 *
 * @param requests     scheduled requests: sent plus dropped
 * @param sent         requests that left
 * @param ok           successful ones
 * @param late         scheduled requests (dropped ones included) the generator got to late: more than
 *                     {@link dev.faultline.core.probe.SenderLag#LATE} after their intended time, its own delay
 * @param dropped      not sent: the in-flight cap stayed full past the tolerance
 * @param duration     first to last intended send
 * @param waitTime     last intended send to the last response
 * @param achievedRate sends per second, between the first and the last actual send
 * @param latency      from the intended send (what users felt)
 * @param serviceTime  from the actual send (what a closed-model tool would report)
 * @param errors       sent requests that failed, by class (dropped ones are not here)
 * @param statusCodes  count per HTTP status (0: no response)
 */
public record LoadSummary(long requests, long sent, long ok, long late, long dropped, Duration duration, Duration waitTime,
                          double achievedRate, Latencies latency, Latencies serviceTime,
                          Map<ErrorClass, Long> errors, Map<Integer, Long> statusCodes) {

    /** Latency distribution; all zero when nothing was measured. */
    public record Latencies(Duration min, Duration mean, Duration p50, Duration p90, Duration p95, Duration p99,
                            Duration max) {
        public static final Latencies NONE = new Latencies(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO,
                Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    public LoadSummary {
        errors = Map.copyOf(errors);
        statusCodes = Map.copyOf(statusCodes);
    }

    /** Recomputes a summary from records, e.g. read back with {@link ResultsWriter#read}. */
    public static LoadSummary of(Collection<RequestRecord> records) {
        RunStats stats = new RunStats();
        records.forEach(stats::add);
        return stats.summary();
    }

    /** Share of scheduled requests that succeeded, 0..1 (1 when none were scheduled). */
    public double successRatio() {
        return requests == 0 ? 1 : (double) ok / requests;
    }

    /** Successful responses per second, over the duration plus the wait. */
    public double throughput() {
        double seconds = duration.plus(waitTime).toNanos() / 1e9;
        return seconds <= 0 ? ok : ok / seconds;
    }

    public long failed() {
        return sent - ok;
    }

    /** A report in the layout of vegeta's text report, with the open-model figures added. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        line(b, "Requests", "[total, rate, throughput]",
                String.format(Locale.ROOT, "%d, %.2f, %.2f", requests, achievedRate, throughput()));
        line(b, "Duration", "[total, attack, wait]",
                fmt(duration.plus(waitTime)) + ", " + fmt(duration) + ", " + fmt(waitTime));
        line(b, "Latencies", "[min, mean, 50, 90, 95, 99, max]", latencies(latency));
        line(b, "Service time", "[min, mean, 50, 90, 95, 99, max]", latencies(serviceTime));
        line(b, "Success", "[ratio]", String.format(Locale.ROOT, "%.2f%%", successRatio() * 100));
        line(b, "Schedule", "[late, dropped]", late + ", " + dropped);
        StringBuilder codes = new StringBuilder();
        statusCodes.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> codes.append(codes.length() == 0 ? "" : "  ").append(e.getKey()).append(':').append(e.getValue()));
        line(b, "Status Codes", "[code:count]", codes.toString());
        b.append("Error Set:\n");
        errors.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> b.append(e.getKey().label()).append(": ").append(e.getValue()).append('\n'));
        return b.toString();
    }

    private static void line(StringBuilder b, String title, String fields, String values) {
        b.append(String.format(Locale.ROOT, "%-13s %-34s %s%n", title, fields, values));
    }

    private static String latencies(Latencies l) {
        return String.join(", ", fmt(l.min()), fmt(l.mean()), fmt(l.p50()), fmt(l.p90()), fmt(l.p95()), fmt(l.p99()),
                fmt(l.max()));
    }

    /** Like Go's time.Duration printing: 1.234ms, 2.5s, 850µs. */
    static String fmt(Duration d) {
        long n = d.toNanos();
        if (n == 0) return "0s";
        if (n < 1_000) return n + "ns";
        if (n < 1_000_000) return trim(n / 1e3) + "µs";
        if (n < 1_000_000_000) return trim(n / 1e6) + "ms";
        return trim(n / 1e9) + "s";
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
