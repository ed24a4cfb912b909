package dev.faultline.core.proxy;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waiting until a deadline with sub-millisecond precision. */
final class Waits {

    /** Timer slack makes parks overshoot by ~50 µs; the last stretch is spun so delays stay exact. */
    private static final long SPIN_NANOS = 100_000;

    private Waits() {}

    /**
     * Returns when {@code System.nanoTime()} has reached {@code deadline}; an unpark only causes a re-check.
     *
     * @throws InterruptedException when interrupted or {@code goOn} turns false first (the connection closed),
     *                              so a closed proxy never leaves a thread waiting out a long delay
     */
    static void until(long deadline, BooleanSupplier goOn) throws InterruptedException {
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return;
            if (Thread.interrupted() || !goOn.getAsBoolean()) throw new InterruptedException("wait abandoned");
            if (left > SPIN_NANOS) {
                LockSupport.parkNanos(left - SPIN_NANOS);
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
