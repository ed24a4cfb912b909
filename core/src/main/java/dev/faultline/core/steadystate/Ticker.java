package dev.faultline.core.steadystate;

import dev.faultline.core.time.Waits;
import java.time.Instant;

/**
 * Time for schedules: a monotonic clock to plan and measure on, wall time to stamp lines with,
 * and a way to wait. Tests pass a fake that advances instantly instead of sleeping.
 */
public interface Ticker {

    /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Wall time, for stamps only. */
    Instant now();

    /** Returns at or after monotonic time {@code deadline}. */
    void sleepUntil(long deadline) throws InterruptedException;

    static Ticker system() {
        return SystemTicker.INSTANCE;
    }

    /** The real clock; waits as everything in faultline does ({@link Waits}), so an interrupt is seen promptly. */
    enum SystemTicker implements Ticker {
        INSTANCE;

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleepUntil(long deadline) throws InterruptedException {
            Waits.until(deadline, () -> false);
        }
    }
}
