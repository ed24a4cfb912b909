package dev.faultline.core.proxy;

import java.util.concurrent.locks.LockSupport;

/** Waiting until a deadline with sub-millisecond precision. */
final class Waits {

    /** Timer slack makes parks overshoot by ~50 µs; the last stretch is spun so delays stay exact. */
    private static final long SPIN_NANOS = 100_000;

    private Waits() {}

    /** Returns when {@code System.nanoTime()} has reached {@code deadline}; an unpark only causes a re-check. */
    static void until(long deadline) {
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return;
            if (left > SPIN_NANOS) {
                LockSupport.parkNanos(left - SPIN_NANOS);
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
