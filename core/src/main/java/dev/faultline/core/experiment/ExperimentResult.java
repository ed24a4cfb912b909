package dev.faultline.core.experiment;

import dev.faultline.core.time.Durations;

import dev.faultline.core.engine.EngineEvent;
import dev.faultline.core.observe.Timeline;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Everything a run found out. The {@link Timeline} (100 ms buckets of every call, fault marks,
 * container events) is no longer written once the result exists.
 *
 * <p>Everything a run found out. {@code reason} says in one sentence why the outcome is what it is
 * ("refused: steady state did not hold before injection: ..."), {@link #table()} renders it for a
 * terminal.
 */
public record ExperimentResult(
        String name,
        String runId,
        Outcome outcome,
        String reason,
        Instant startedAt,
        Instant endedAt,
        List<Phase> phases,
        List<FaultRecord> faults,
        Recovery recovery,
        List<Verdict> verdicts,
        List<EngineEvent> events,
        List<Observation> observations,
        Timeline timeline) {

    public ExperimentResult {
        phases = List.copyOf(phases);
        faults = List.copyOf(faults);
        verdicts = List.copyOf(verdicts);
        events = List.copyOf(events);
        observations = List.copyOf(observations);
        java.util.Objects.requireNonNull(timeline, "timeline");
    }

    public boolean held() {
        return outcome == Outcome.HELD;
    }

    /**
     * The verdict on {@code expectation}, the value given to the experiment (e.g.
     * {@code Expectation.recoveredWithin(ofSeconds(30))}). Verdicts are keyed by the expectation's
     * {@link Expectation#describe()}, which is unique within an experiment.
     */
    public Optional<Verdict> verdict(Expectation expectation) {
        java.util.Objects.requireNonNull(expectation, "expectation");
        return verdict(expectation.describe());
    }

    /**
     * The verdict on the expectation whose description is {@code expectation} ("recovered within 30 s"),
     * as tables and reports print it. Prefer {@link #verdict(Expectation)}: a typo here finds nothing.
     */
    public Optional<Verdict> verdict(String expectation) {
        return verdicts.stream().filter(v -> v.expectation().equals(expectation)).findFirst();
    }

    public Duration duration() {
        return Duration.between(startedAt, endedAt);
    }

    /** Faults whose revert failed: the stack may still be degraded. */
    public List<FaultRecord> failedReverts() {
        return faults.stream().filter(FaultRecord::revertFailed).toList();
    }

    /** A plain-text table: outcome, faults with their times, recovery, and one line per expectation. */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append("experiment ").append(name).append("  (run ").append(runId).append(", ")
                .append(Durations.words(duration())).append(")\n");
        out.append("outcome    ").append(outcome).append(": ").append(reason).append('\n');
        // A lost acknowledged write is the worst thing a run can show: it comes first.
        verdicts.stream().filter(v -> v.expectation().equals(Expectation.noLostWrites().describe())
                && v.status() == Verdict.Status.FAILED)
                .forEach(v -> out.append("!! ACKNOWLEDGED WRITES LOST: ").append(v.reason()).append('\n'));
        for (FaultRecord f : failedReverts()) {
            out.append("!! REVERT FAILED: ").append(f.error().orElse(f.fault())).append('\n');
        }
        if (!faults.isEmpty()) {
            out.append('\n').append(String.format(Locale.ROOT, "%-44s %-10s %-10s %s%n", "fault", "injected", "reverted",
                    "how"));
            for (FaultRecord f : faults) {
                out.append(String.format(Locale.ROOT, "%-44s %-10s %-10s %s%n", clip(f.fault(), 44),
                        f.injectedAt().map(this::offset).orElse("-"), f.revertedAt().map(this::offset).orElse("-"),
                        f.error().orElse(f.mechanism())));
                if (f.injectedAt().isPresent()) {
                    out.append(String.format(Locale.ROOT, "%-44s %s%n", "", "effect: " + f.effect().line()));
                }
            }
        }
        out.append('\n').append("recovery   ");
        if (recovery.faultEndedAt().isEmpty()) {
            out.append("not observed\n");
        } else {
            out.append("first failure ").append(recovery.timeToDetect().map(d -> Durations.words(d) + " after the first fault")
                            .orElse("none"))
                    .append("; back ")
                    .append(recovery.timeToRecover().map(d -> Durations.words(d) + " after the fault ended")
                            .orElse("never"))
                    .append("; outage ").append(recovery.outage().map(Durations::words)
                            .orElse(recovery.timeToDetect().isPresent() && !recovery.recovered() ? "still going at the end"
                                    : "none"))
                    .append("; availability ").append(Percent.of(recovery.availabilityByTime())).append(" by time, ")
                    .append(Percent.of(recovery.availabilityByCall())).append(" by call")
                    .append(recovery.checks().cut() == 0 ? "" : "; " + recovery.checks().cut()
                            + " checks cut by the end of the run").append('\n');
        }
        if (!verdicts.isEmpty()) {
            int width = Math.max(11, verdicts.stream().mapToInt(v -> v.expectation().length()).max().orElse(0));
            out.append('\n').append(String.format(Locale.ROOT, "%-" + width + "s  %-20s %s%n", "expectation",
                    "verdict", "reason"));
            for (Verdict v : verdicts) {
                out.append(String.format(Locale.ROOT, "%-" + width + "s  %-20s %s%n", v.expectation(),
                        v.status().label(), v.reason()));
            }
        }
        for (Observation.Source source : Observation.Source.values()) {
            List<Observation> calls = observations.stream().filter(o -> o.source() == source).toList();
            Observation.senderBehind(source, calls.stream().filter(Observation::late).count(), calls.size())
                    .ifPresent(s -> out.append('\n').append(s).append('\n'));
        }
        return out.toString();
    }

    private String offset(Instant t) {
        return Durations.offset(Duration.between(startedAt, t));
    }

    private static String clip(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }
}
