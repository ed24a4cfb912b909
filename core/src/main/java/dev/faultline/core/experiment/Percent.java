package dev.faultline.core.experiment;

import java.util.Locale;

/** Rates as people read them: "5%", "12.5%", "0.3%". */
final class Percent {
    private Percent() {}

    static String of(double rate) {
        double p = rate * 100.0;
        if (p == Math.rint(p)) {
            return String.format(Locale.ROOT, "%.0f%%", p);
        }
        return String.format(Locale.ROOT, p < 1 ? "%.2f%%" : "%.1f%%", p);
    }
}
