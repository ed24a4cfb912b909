package dev.faultline.benchmarks;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/** Prints figures as {@code RESULT <section> <name> <value> <unit>} lines, which run.sh collects. */
final class Results {

    private Results() {}

    static void print(String section, String name, double value, String unit) {
        System.out.printf(Locale.ROOT, "RESULT %s %s %.3f %s%n", section, name, value, unit);
        System.out.flush();
    }

    static void note(String section, String text) {
        System.out.println("NOTE " + section + " " + text);
        System.out.flush();
    }

    /** p50, p99, p99.9 (when asked) and max of a histogram of nanoseconds, printed in microseconds. */
    static void percentilesMicros(String section, String name, Histogram h, boolean p999) {
        print(section, name + ".count", h.getTotalCount(), "n");
        print(section, name + ".p50", h.getValueAtPercentile(50) / 1e3, "us");
        print(section, name + ".p99", h.getValueAtPercentile(99) / 1e3, "us");
        if (p999) {
            print(section, name + ".p99.9", h.getValueAtPercentile(99.9) / 1e3, "us");
        }
        print(section, name + ".max", h.getMaxValue() / 1e3, "us");
    }

    static Histogram histogram() {
        return new Histogram(60_000_000_000L, 3);
    }
}
