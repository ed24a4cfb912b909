package dev.faultline.core.experiment;

import java.time.Duration;
import java.util.Locale;

/** Durations as people read them: "30 s", "1.5 s", "250 ms", "2 min". */
final class Durations {
    private Durations() {}

    static String words(Duration d) {
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

    /** An offset from the run's start: "+7.2 s". */
    static String offset(Duration d) {
        return String.format(Locale.ROOT, "+%.1f s", d.toMillis() / 1000.0);
    }
}
