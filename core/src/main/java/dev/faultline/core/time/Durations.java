package dev.faultline.core.time;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations as people read them, the one definition for reports, messages, verdicts and scripts:
 * a span or a setting in {@link #words}, a moment of a run as an {@link #offset} from its start, a
 * request's {@link #latency}.
 */
public final class Durations {

    private Durations() {}

    /** A span or a setting: "250 ms" under a second, "2 min", "30 s", otherwise "1.5 s". */
    public static String words(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms % 60_000 == 0) {
            return (ms / 60_000) + " min";
        }
        if (ms % 1000 == 0) {
            return (ms / 1000) + " s";
        }
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** {@link #words(Duration)} of a number of milliseconds. */
    public static String words(long millis) {
        return words(Duration.ofMillis(millis));
    }

    /** A moment from the run's start, signed: "+7.2 s" (before the start: "-0.3 s"). */
    public static String offset(Duration d) {
        return offset(d.toMillis());
    }

    /** {@link #offset(Duration)} of a number of milliseconds. */
    public static String offset(long millis) {
        return String.format(Locale.ROOT, "%+.1f s", millis / 1000.0);
    }

    /** A request's latency: "4.2 ms" under 10 ms, otherwise whole milliseconds ("187 ms"). */
    public static String latency(Duration d) {
        return latency(d.toNanos() / 1e6);
    }

    /** {@link #latency(Duration)} of a number of milliseconds. */
    public static String latency(double millis) {
        return millis < 10 ? String.format(Locale.ROOT, "%.1f ms", millis) : Math.round(millis) + " ms";
    }
}
