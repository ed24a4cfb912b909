package dev.faultline.core.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How the request rate evolves: stages, each holding or ramping the rate linearly over its duration.
 * Immutable; each step returns a new profile.
 *
 * <pre>{@code
 * LoadProfile.constant(50, ofSeconds(10));                                  // 500 requests
 * LoadProfile.constant(10, ofSeconds(5)).rampTo(100, ofSeconds(10)).hold(ofSeconds(30));
 * }</pre>
 *
 * The schedule is computed, never ticked: request i leaves when the integral of the rate reaches i,
 * so a slow or stalled target cannot shift later sends.
 */
public final class LoadProfile {

    /** One stage: the rate goes linearly from {@code fromRate} to {@code toRate} per second over {@code duration}. */
    public record Stage(double fromRate, double toRate, Duration duration) {
        public Stage {
            checkRate("fromRate", fromRate);
            checkRate("toRate", toRate);
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("duration must be > 0, was " + duration);
            }
        }

        /** Requests this stage sends (fractional; the schedule carries the remainder on). */
        double requests() {
            return (fromRate + toRate) / 2 * seconds();
        }

        double seconds() {
            return duration.toNanos() / 1e9;
        }
    }

    private static final double MAX_RATE = 1_000_000;

    private final List<Stage> stages;

    private LoadProfile(List<Stage> stages) {
        this.stages = List.copyOf(stages);
    }

    /** {@code rate} requests per second for {@code duration}. */
    public static LoadProfile constant(double rate, Duration duration) {
        return new LoadProfile(List.of(new Stage(rate, rate, duration)));
    }

    /** From {@code fromRate} to {@code toRate} per second, linearly, over {@code duration}. */
    public static LoadProfile ramp(double fromRate, double toRate, Duration duration) {
        return new LoadProfile(List.of(new Stage(fromRate, toRate, duration)));
    }

    /** Then ramps from the current end rate to {@code rate} over {@code duration}. */
    public LoadProfile rampTo(double rate, Duration duration) {
        return then(new Stage(endRate(), rate, duration));
    }

    /** Then keeps the current end rate for {@code duration}. */
    public LoadProfile hold(Duration duration) {
        return then(new Stage(endRate(), endRate(), duration));
    }

    /** Then {@code rate} per second for {@code duration} (a step, not a ramp). */
    public LoadProfile thenConstant(double rate, Duration duration) {
        return then(new Stage(rate, rate, duration));
    }

    public List<Stage> stages() {
        return stages;
    }

    public Duration duration() {
        return stages.stream().map(Stage::duration).reduce(Duration.ZERO, Duration::plus);
    }

    /** How many requests the whole profile sends. */
    public long totalRequests() {
        double total = 0;
        for (Stage s : stages) total += s.requests();
        // request i is sent when the cumulative count reaches i, for i = 0, 1, ...; so ceil, minus a rounding hair
        return (long) Math.ceil(total - 1e-9);
    }

    /**
     * When request {@code i} (from 0) is meant to leave, in nanoseconds after the start; -1 when the
     * profile sends fewer requests.
     */
    public long offsetNanos(long i) {
        if (i < 0) throw new IllegalArgumentException("request index must be >= 0, was " + i);
        double before = 0; // requests sent by earlier stages
        long stageStart = 0;
        for (Stage s : stages) {
            double in = s.requests();
            if (i < before + in - 1e-9) {
                double k = i - before; // position inside this stage
                return stageStart + Math.round(timeOf(s, k) * 1e9);
            }
            before += in;
            stageStart += s.duration().toNanos();
        }
        return -1;
    }

    /** Seconds into the stage at which its cumulative count reaches k: a t + (b - a) t² / 2T = k. */
    private static double timeOf(Stage s, double k) {
        double a = s.fromRate(), b = s.toRate(), span = s.seconds();
        if (k <= 0) return 0;
        double slope = (b - a) / span;
        if (Math.abs(slope) < 1e-12) return k / a;
        // (slope/2) t² + a t - k = 0; the root in [0, T], in the form that does not cancel for small slopes
        double disc = a * a + 2 * slope * k;
        double t = 2 * k / (a + Math.sqrt(Math.max(0, disc)));
        return Math.min(Math.max(t, 0), span);
    }

    private double endRate() {
        return stages.get(stages.size() - 1).toRate();
    }

    private LoadProfile then(Stage stage) {
        List<Stage> next = new ArrayList<>(stages);
        next.add(stage);
        return new LoadProfile(next);
    }

    private static void checkRate(String name, double rate) {
        if (!(rate >= 0 && rate <= MAX_RATE)) {
            throw new IllegalArgumentException(name + " must be in [0, " + (long) MAX_RATE + "] per second, was " + rate);
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Stage s : stages) {
            if (b.length() > 0) b.append(", then ");
            if (s.fromRate() == s.toRate()) b.append(fmt(s.fromRate())).append("/s");
            else b.append(fmt(s.fromRate())).append("->").append(fmt(s.toRate())).append("/s");
            b.append(" for ").append(s.duration().toString().substring(2).toLowerCase());
        }
        return b.toString();
    }

    private static String fmt(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoadProfile p && p.stages.equals(stages);
    }

    @Override
    public int hashCode() {
        return stages.hashCode();
    }
}
