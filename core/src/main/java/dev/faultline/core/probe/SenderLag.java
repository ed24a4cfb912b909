package dev.faultline.core.probe;

import java.time.Duration;
import java.util.Optional;

/**
 * When a call left late through its own sender's fault, and when that many such calls make a run's figures
 * measure this machine. The one definition behind load.jsh's "Limit: the generator" line, the DSL's load, the
 * steady-state checks and the reports.
 *
 * <p>A sender's lag is how long after its intended time the sender got to a call: the load generator's
 * scheduler, the steady-state sampler's tick. It grows when this JVM is short of CPU or paused. A wait for the
 * target is not lag: a send held back because every in-flight slot is taken by requests still waiting for
 * their answers waits because the target is slow, users would have waited too, and its latency counts that as
 * theirs.
 */
public final class SenderLag {

    /** A call its sender got to more than this after its intended time was late. */
    public static final Duration LATE = Duration.ofMillis(50);
    private static final long LATE_NANOS = LATE.toNanos();

    private SenderLag() {
    }

    public static boolean late(long lagNanos) {
        return lagNanos > LATE_NANOS;
    }

    public static boolean late(Duration lag) {
        return lag.compareTo(LATE) > 0;
    }

    /**
     * 1 % or more of the calls, and more than one, were {@link #late}: the sender, not only the target, shaped the
     * figures. One late call is one pause (a CI machine's neighbour, a GC) and says nothing of the run as a whole;
     * without the second condition it made 1 check of 85 a "fell behind" in a test run's report.
     */
    public static boolean behind(long late, long calls) {
        return late > 1 && late * 100 >= calls;
    }

    /**
     * What a summary or report says when the sender was {@link #behind}; empty otherwise.
     *
     * @param sender what sent the calls, e.g. "the load generator"
     * @param calls  what they were, e.g. "load requests"
     */
    public static Optional<String> fellBehind(String sender, String calls, long late, long total) {
        if (!behind(late, total)) return Optional.empty();
        return Optional.of(Character.toUpperCase(sender.charAt(0)) + sender.substring(1)
                + " fell behind its own schedule: it got to " + late + " of " + total + " " + calls + " more than "
                + LATE.toMillis() + " ms after their planned time (this JVM was short of CPU, or paused). Their latency"
                + " counts that wait, so the latency and error figures measure this machine as well as the stack.");
    }
}
