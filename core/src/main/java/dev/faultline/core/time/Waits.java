package dev.faultline.core.time;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The one way faultline waits for a moment on the monotonic clock ({@link System#nanoTime()}): park
 * until shortly before the deadline, then spin, so that load sends, proxy delays and fault offsets
 * start on time. Interruptible; a caller can abandon the wait (a connection closed, an abort rule
 * fired) and can wake it early by its own means ({@link Pause}).
 */
public final class Waits {

    /**
     * Timer slack makes a park overshoot by ~50 µs; by default the last 100 µs are spun so that what
     * waits leaves on its deadline (BENCHMARKS.md §2 compares the primitives).
     */
    public static final long SPIN_NANOS = 100_000;

    /** How a wait sleeps for (at most) {@code nanos}: true to stop waiting (the caller was woken for good). */
    @FunctionalInterface
    public interface Pause {
        boolean pause(long nanos) throws InterruptedException;
    }

    /** Parks the thread; an unpark only causes the condition and the deadline to be checked again. */
    public static final Pause PARK = nanos -> {
        LockSupport.parkNanos(nanos);
        return false;
    };

    private Waits() {}

    /** Waits until {@code deadline}, parking, spinning the last {@link #SPIN_NANOS}; see {@link #until(long, long, BooleanSupplier, Pause)}. */
    public static boolean until(long deadline, BooleanSupplier abandon) throws InterruptedException {
        return until(deadline, SPIN_NANOS, abandon, PARK);
    }

    /**
     * Returns true when {@code System.nanoTime()} has reached {@code deadline}, or false as soon as
     * {@code abandon} is true or {@code pause} says to stop, whichever comes first. A deadline
     * already past returns true at once. {@code pause} sleeps until {@code spinNanos} before the
     * deadline, and the rest is spun.
     *
     * @throws InterruptedException when the thread is interrupted before the deadline (the flag is cleared, as usual)
     */
    public static boolean until(long deadline, long spinNanos, BooleanSupplier abandon, Pause pause) throws InterruptedException {
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for a deadline");
            }
            if (abandon.getAsBoolean()) {
                return false;
            }
            if (left > spinNanos) {
                if (pause.pause(left - spinNanos)) {
                    return false;
                }
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
