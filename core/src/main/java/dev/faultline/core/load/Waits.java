package dev.faultline.core.load;

import java.util.concurrent.locks.LockSupport;

/** Waiting until a deadline with sub-millisecond precision. */
final class Waits {

    /** Timer slack makes parks overshoot by ~50 µs; the last stretch is spun so sends leave on time. */
    private static final long SPIN_NANOS = 100_000;

    private Waits() {}

    /** Returns when {@code System.nanoTime()} has reached {@code deadline}; false if interrupted first. */
    static boolean until(long deadline) {
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return true;
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (left > SPIN_NANOS) {
                LockSupport.parkNanos(left - SPIN_NANOS);
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
