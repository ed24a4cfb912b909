package dev.faultline.core.report;

import java.util.List;
import java.util.Map;

/**
 * Everything one run found out, in the shape of {@code journal.json}. Plain values only (ISO
 * instants as strings, durations and offsets as milliseconds from the run's start, null where
 * unknown), so the file reads without faultline and every report can be rendered from it.
 * Bump {@link #SCHEMA_VERSION} when a field changes meaning or goes away.
 */
public record Journal(
        int schemaVersion,
        String runId,
        String experiment,
        String outcome,
        String reason,
        String startedAt,
        String endedAt,
        long durationMs,
        Definition definition,
        String project,
        List<Target> targets,
        List<PhaseEntry> phases,
        List<FaultEntry> faults,
        RecoveryEntry recovery,
        Traffic traffic,
        List<VerdictEntry> verdicts,
        int bucketMs,
        List<BucketEntry> buckets,
        List<EventEntry> events,
        List<MarkEntry> marks,
        List<SampleEntry> resources,
        LogsEntry logs,
        Versions versions) {

    /** 2: recovery by the README's definitions, availability by time and by call, cut calls counted apart. */
    public static final int SCHEMA_VERSION = 2;

    public Journal {
        targets = List.copyOf(targets);
        phases = List.copyOf(phases);
        faults = List.copyOf(faults);
        verdicts = List.copyOf(verdicts);
        buckets = List.copyOf(buckets);
        events = List.copyOf(events);
        marks = List.copyOf(marks);
        resources = List.copyOf(resources);
    }

    /** The experiment as it was defined. */
    public record Definition(String steadyState, String load, boolean tracksWrites, List<PlannedFault> faults,
                             List<String> expectations, List<String> abortRules, long recoveryWindowMs,
                             long healthyForMs) {
        public Definition {
            faults = List.copyOf(faults);
            expectations = List.copyOf(expectations);
            abortRules = List.copyOf(abortRules);
        }
    }

    public record PlannedFault(String fault, long atMs, Long lastingMs) {}

    /** A container the run found for a service; restartPolicy as Docker names it ("unless-stopped", "no"). */
    public record Target(String service, String container, String name, String image, String restartPolicy,
                         String health, int restartCount) {}

    public record PhaseEntry(String name, long startMs, long endMs) {}

    /** @param effect what the fault measurably did; null in journals written before faults measured it */
    public record FaultEntry(String fault, String mechanism, List<String> targets, long plannedAtMs, Long lastingMs,
                             Long injectedAtMs, Long revertedAtMs, String error, EffectEntry effect) {
        public FaultEntry {
            targets = List.copyOf(targets);
        }

        /** The effect line reports show next to the fault. */
        public String effectLine() {
            return effect == null ? "not recorded" : effect.line();
        }
    }

    /**
     * A fault's measured effect: {@code status} BIT, NONE or NOT_MEASURED; {@code counters} name → value
     * with its unit ({@code "12"}, {@code "4096 B"}); {@code cause} why none (or why not measured).
     */
    public record EffectEntry(String status, String summary, String cause, Map<String, String> counters) {
        public EffectEntry {
            counters = counters == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(counters));
        }

        public String line() {
            return switch (status) {
                case "BIT" -> summary;
                case "NONE" -> "NO EFFECT: " + summary + "; likely cause: " + cause;
                default -> "effect not measured: " + cause;
            };
        }
    }

    /**
     * Recovery figures, by the definitions of the README ("Definitions"); times in ms from the run's
     * start. {@code availabilityByTime} is the share of the observed window (first fault → last
     * answer of a check) in which checks sent then succeeded; {@code availabilityByCall} the share of
     * {@code callSource} sent from the first fault on that succeeded. {@code errorBudgetConsumed} is
     * the failed calls over those the budget allows ({@code budget} of the calls from the first fault
     * on: 1.0 means the budget is spent). The checks from the first fault on add up:
     * {@code checksSent = checksOk + checksFailed + checksCut}.
     */
    public record RecoveryEntry(Long faultEndedMs, Long firstFailureMs, Long timeToDetectMs, Long backAtMs,
                                Long recoveredAtMs, Long timeToRecoverMs, Long outageMs, long observedWindowMs,
                                double availabilityByTime, double availabilityByCall, String callSource,
                                long checksSent, long checksOk, long checksFailed, long checksCut,
                                double budget, double errorBudgetConsumed) {}

    /**
     * The calls that measured users' experience: the load's requests, or the steady-state checks
     * without a load. {@code calls = ok + failed + cut}; cut calls (still running when the run ended)
     * are in no error class and no percentile. {@code late}: calls their sender got to late
     * ({@link dev.faultline.core.probe.SenderLag}); {@code senderBehind}: what the reports say when there were
     * enough of them to count, null otherwise.
     */
    public record Traffic(String source, long calls, long failed, long cut, Map<String, Long> errorsByClass, Double p50Ms,
                          Double p99Ms, long callsAfterFault, long failedAfterFault, long late, String senderBehind) {
        public Traffic {
            errorsByClass = Map.copyOf(errorsByClass);
        }
    }

    public record VerdictEntry(String expectation, String status, String reason) {}

    public record BucketEntry(long startMs, long requests, Map<String, Long> errors, double p50Ms, double p99Ms) {
        public BucketEntry {
            errors = Map.copyOf(errors);
        }
    }

    /** A container event; {@code atMs} from the run's start. */
    public record EventEntry(long atMs, String time, String service, String action, String detail) {}

    public record MarkEntry(long atMs, String kind, String label) {}

    public record SampleEntry(long atMs, String service, double cpuPercent, long memoryBytes) {}

    /**
     * What the logs said. {@code visibility} is VISIBLE only when every service that produced
     * errors users saw ({@code origins}) logged an error in the window; {@code attribution} says how
     * errors were charged to services.
     */
    public record LogsEntry(String visibility, String sentence, long userErrors, Map<String, Integer> lines,
                            List<FindingEntry> findings, List<OriginEntry> origins, String attribution) {
        public LogsEntry {
            lines = Map.copyOf(lines);
            findings = List.copyOf(findings);
            origins = origins == null ? List.of() : List.copyOf(origins);
        }
    }

    /** A service that produced errors users saw, and whether it logged an error in the window. */
    public record OriginEntry(String service, Map<String, Long> errors, long errorLines, boolean logged, String answer) {
        public OriginEntry {
            errors = Map.copyOf(errors);
        }
    }

    public record FindingEntry(String pattern, String component, String kind, String meaning, String service,
                               int count, Long firstAfterFaultMs, Long lastAfterFaultMs, List<String> samples) {
        public FindingEntry {
            samples = List.copyOf(samples);
        }
    }

    public record Versions(String faultline, String java, String engine, String engineApi) {}

    public boolean held() {
        return "HELD".equals(outcome);
    }

    /** Acknowledged writes lost: the verdict that a report names before anything else. */
    public java.util.Optional<VerdictEntry> lostWrites() {
        return verdicts.stream().filter(v -> v.expectation().equals("no lost writes") && v.status().equals("FAILED"))
                .findFirst();
    }
}
