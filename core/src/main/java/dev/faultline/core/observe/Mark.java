package dev.faultline.core.observe;

/** Something that happened at one moment of a run: a fault injected or reverted, or a note. */
public record Mark(long atNanos, Kind kind, String label) {

    public enum Kind {
        FAULT_INJECTED,
        FAULT_REVERTED,
        /** Anything else worth a line on the chart: phase changes, an abort. */
        NOTE
    }
}
