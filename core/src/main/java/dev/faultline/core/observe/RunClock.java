package dev.faultline.core.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The one clock of a run: monotonic nanoseconds since an origin, plus the wall-clock instant of that
 * origin so reports can print real times. Everything of one run (load records, timeline, fault marks)
 * is stamped with the same clock, so they line up without wall-clock jumps.
 */
public final class RunClock {

    private final LongSupplier nanoSource;
    private final long originNanos;
    private final Instant originWall;

    private RunClock(LongSupplier nanoSource, Instant originWall) {
        this.nanoSource = nanoSource;
        this.originNanos = nanoSource.getAsLong();
        this.originWall = originWall;
    }

    /** A clock whose origin is now, on {@link System#nanoTime()}. */
    public static RunClock startingNow() {
        return new RunClock(System::nanoTime, Instant.now());
    }

    /** A clock on a given nanosecond source (tests use a fake one); its origin is the source's current value. */
    public static RunClock of(LongSupplier nanoSource, Instant originWall) {
        return new RunClock(Objects.requireNonNull(nanoSource, "nanoSource"), Objects.requireNonNull(originWall, "originWall"));
    }

    /** Nanoseconds since the origin. */
    public long nanos() {
        return nanoSource.getAsLong() - originNanos;
    }

    /** The raw source value of the origin, to turn {@link System#nanoTime()} deadlines into run time. */
    public long originNanos() {
        return originNanos;
    }

    public Instant originWall() {
        return originWall;
    }

    /** The wall-clock instant of a run time. */
    public Instant instantAt(long runNanos) {
        return originWall.plusNanos(runNanos);
    }

    public Duration elapsed() {
        return Duration.ofNanos(nanos());
    }

    @Override
    public String toString() {
        return "RunClock[origin " + originWall + ", now +" + elapsed() + "]";
    }
}
