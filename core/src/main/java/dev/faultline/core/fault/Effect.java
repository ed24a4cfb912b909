package dev.faultline.core.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a fault measurably did during its window, read from the kernel or the engine (connections
 * through a proxy, packets that hit a netfilter rule, a container seen dead or paused, CPU time
 * charged to a cgroup), never inferred from the fault's own intent. A fault whose effect is
 * {@link Status#NONE none} reached nothing: an experiment with such a fault cannot be said to have held.
 *
 * @param status   whether the fault bit, measurably did nothing, or could not be measured
 * @param counters what was counted, each with its name and unit; may be empty for {@link Status#NOT_MEASURED}
 * @param summary  one line in words: "12 connections (48 KiB) went through the delay"
 * @param cause    for {@link Status#NONE}: the likely cause ("web's 2 connections to db:5432 were opened
 *                 before the fault"); for {@link Status#NOT_MEASURED}: why it could not be measured; else empty
 */
public record Effect(Status status, List<Counter> counters, String summary, Optional<String> cause) {

    public enum Status {
        /** A counter shows the fault acted on the target. */
        BIT,
        /** The counters that would show it acted stayed at zero. */
        NONE,
        /** The measurement itself failed or the fault kind has none; says nothing either way. */
        NOT_MEASURED
    }

    /** One measured figure: {@code 12 connections}. */
    public record Counter(String name, long value, String unit) {
        public Counter {
            Checks.text("name", name);
            Objects.requireNonNull(unit, "unit");
        }

        @Override
        public String toString() {
            return name + " " + value + (unit.isEmpty() ? "" : " " + unit);
        }
    }

    public Effect {
        Objects.requireNonNull(status, "status");
        counters = List.copyOf(counters);
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(cause, "cause");
    }

    public static Effect bit(String summary, List<Counter> counters) {
        return new Effect(Status.BIT, counters, summary, Optional.empty());
    }

    public static Effect none(String summary, String cause, List<Counter> counters) {
        return new Effect(Status.NONE, counters, summary, Optional.of(Checks.text("cause", cause)));
    }

    /** {@link #bit} when {@code bit}, else {@link #none} with {@code cause}. */
    public static Effect of(boolean bit, String summary, String cause, List<Counter> counters) {
        return bit ? bit(summary, counters) : none(summary, cause, counters);
    }

    public static Effect notMeasured(String why) {
        return new Effect(Status.NOT_MEASURED, List.of(), "effect not measured", Optional.of(Checks.text("why", why)));
    }

    public static Counter count(String name, long value, String unit) {
        return new Counter(name, value, unit);
    }

    /**
     * The effect of one fault acting on several containers: it bit when any part bit (a partition's
     * far side sends nothing once the near side's packets are dropped), none when every part measured
     * none, else not measured. The summary names each part.
     */
    public static Effect combine(List<Effect> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        List<Counter> counters = new ArrayList<>();
        parts.forEach(p -> counters.addAll(p.counters()));
        String summary = parts.stream().map(Effect::summary).collect(Collectors.joining("; "));
        if (parts.stream().anyMatch(Effect::bit)) {
            return bit(summary, counters);
        }
        String causes = parts.stream().flatMap(p -> p.cause().stream()).distinct().collect(Collectors.joining("; "));
        if (!parts.isEmpty() && parts.stream().allMatch(Effect::none)) {
            return none(summary, causes, counters);
        }
        return new Effect(Status.NOT_MEASURED, counters, summary, Optional.of(causes.isEmpty() ? "not measured" : causes));
    }

    public boolean bit() {
        return status == Status.BIT;
    }

    public boolean none() {
        return status == Status.NONE;
    }

    /** The figure named {@code name}, if counted. */
    public Optional<Long> value(String name) {
        return counters.stream().filter(c -> c.name().equals(name)).map(Counter::value).findFirst();
    }

    /** One line for reports: "12 connections went through the delay" or "NO EFFECT: ...; likely cause: ...". */
    public String line() {
        return switch (status) {
            case BIT -> summary;
            case NONE -> "NO EFFECT: " + summary + "; likely cause: " + cause.orElse("unknown");
            case NOT_MEASURED -> "effect not measured: " + cause.orElse("unknown");
        };
    }

    @Override
    public String toString() {
        return line();
    }
}
