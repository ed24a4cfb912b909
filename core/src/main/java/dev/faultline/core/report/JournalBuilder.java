package dev.faultline.core.report;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.EngineEvent;
import dev.faultline.core.experiment.Expectation;
import dev.faultline.core.experiment.Experiment;
import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.experiment.FaultRecord;
import dev.faultline.core.experiment.FaultStep;
import dev.faultline.core.experiment.Observation;
import dev.faultline.core.experiment.Recovery;
import dev.faultline.core.logs.ErrorOrigins;
import dev.faultline.core.logs.LogAnalysis;
import dev.faultline.core.logs.LogFinding;
import dev.faultline.core.observe.Bucket;
import dev.faultline.core.observe.Timeline;
import dev.faultline.core.probe.ErrorClass;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns a result and its context into a {@link Journal}. */
final class JournalBuilder {

    /** Without an error-rate expectation, the budget is that of a 99.9 % availability objective. */
    static final double DEFAULT_BUDGET = 0.001;

    private JournalBuilder() {}

    static Journal build(ExperimentResult r, ReportContext ctx) {
        Instant start = r.startedAt();
        Timeline timeline = r.timeline();
        Instant origin = timeline.clock().originWall();
        long originOffset = Duration.between(start, origin).toMillis();

        Journal.Definition definition = ctx.experiment().map(JournalBuilder::definition).orElse(null);
        List<Journal.Target> targets = ctx.containers().stream()
                .sorted(Comparator.comparing(ContainerInfo::service).thenComparing(ContainerInfo::name))
                .map(c -> new Journal.Target(c.service(), c.shortId(), c.name(), c.image(),
                        c.restartPolicy() == null ? null : c.restartPolicy().name(),
                        c.health() == null ? null : c.health().name().toLowerCase(java.util.Locale.ROOT),
                        c.restartCount()))
                .toList();
        List<Journal.PhaseEntry> phases = r.phases().stream()
                .map(p -> new Journal.PhaseEntry(p.name(), ms(start, p.start()), ms(start, p.end()))).toList();
        List<Journal.FaultEntry> faults = r.faults().stream().map(f -> fault(start, f)).toList();

        Observation.Source source = r.observations().stream().anyMatch(o -> o.source() == Observation.Source.LOAD)
                ? Observation.Source.LOAD : Observation.Source.STEADY_STATE;
        List<Observation> traffic = r.observations().stream().filter(o -> o.source() == source).toList();
        Optional<Instant> firstFault = r.faults().stream().flatMap(f -> f.injectedAt().stream())
                .min(Comparator.naturalOrder());
        List<Observation> afterFault = firstFault.map(t -> traffic.stream().filter(o -> !o.time().isBefore(t)).toList())
                .orElse(List.of());
        afterFault = afterFault.stream().filter(o -> !o.cut()).toList();
        long failedAfter = afterFault.stream().filter(Observation::failed).count();
        Map<String, Long> byClass = new LinkedHashMap<>();
        for (ErrorClass c : ErrorClass.values()) {
            long n = traffic.stream().filter(o -> o.failed() && o.errorClass() == c).count();
            if (n > 0) {
                byClass.put(c.label(), n);
            }
        }
        List<Observation> answered = traffic.stream().filter(o -> !o.cut()).toList();
        long late = traffic.stream().filter(Observation::late).count();
        Journal.Traffic trafficEntry = new Journal.Traffic(source == Observation.Source.LOAD ? "load requests" : "steady-state checks",
                traffic.size(), traffic.stream().filter(Observation::failed).count(),
                traffic.stream().filter(Observation::cut).count(), byClass,
                percentile(answered, 0.50), percentile(answered, 0.99), afterFault.size(), failedAfter,
                late, Observation.senderBehind(source, late, traffic.size()).orElse(null));

        double budget = ctx.experiment().stream().flatMap(e -> e.expectations().stream())
                .filter(e -> e instanceof Expectation.ErrorRateBelow).map(e -> ((Expectation.ErrorRateBelow) e).rate())
                .min(Double::compare).orElse(DEFAULT_BUDGET);
        Recovery rec = r.recovery();
        double consumed = afterFault.isEmpty() ? 0 : (double) failedAfter / (afterFault.size() * budget);
        Journal.RecoveryEntry recovery = new Journal.RecoveryEntry(
                rec.faultEndedAt().map(t -> ms(start, t)).orElse(null),
                rec.firstFailureAt().map(t -> ms(start, t)).orElse(null),
                rec.timeToDetect().map(Duration::toMillis).orElse(null),
                rec.backAt().map(t -> ms(start, t)).orElse(null),
                rec.recoveredAt().map(t -> ms(start, t)).orElse(null),
                rec.timeToRecover().map(Duration::toMillis).orElse(null),
                rec.outage().map(Duration::toMillis).orElse(null),
                rec.observedWindow().toMillis(), rec.availabilityByTime(), rec.availabilityByCall(), trafficEntry.source(),
                rec.checks().sent(), rec.checks().ok(), rec.checks().failed(), rec.checks().cut(), budget, consumed);

        List<Journal.BucketEntry> buckets = new ArrayList<>();
        for (Bucket b : timeline.buckets()) {
            Map<String, Long> errors = new LinkedHashMap<>();
            b.errors().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> errors.put(e.getKey().label(), e.getValue()));
            buckets.add(new Journal.BucketEntry(originOffset + b.startNanos() / 1_000_000, b.requests(), errors,
                    b.p50().toNanos() / 1e6, b.p99().toNanos() / 1e6));
        }
        // Health checks run as execs every few seconds: their exec_* events would bury the ones that
        // matter; what they found shows as health_status events.
        List<Journal.EventEntry> events = r.events().stream().filter(e -> !e.action().startsWith("exec_"))
                .sorted(Comparator.comparing(EngineEvent::time))
                .map(e -> new Journal.EventEntry(ms(start, e.time()), e.time().toString(), e.service(), e.action(),
                        eventDetail(e)))
                .toList();
        List<Journal.MarkEntry> marks = timeline.marks().stream()
                .map(m -> new Journal.MarkEntry(originOffset + m.atNanos() / 1_000_000, m.kind().name(), m.label()))
                .toList();
        List<Journal.SampleEntry> samples = timeline.resourceSamples().stream()
                .map(s -> new Journal.SampleEntry(originOffset + s.atNanos() / 1_000_000, s.service(), s.cpuPercent(),
                        s.memoryBytes()))
                .toList();

        Journal.LogsEntry logs = null;
        if (!ctx.logs().isEmpty()) {
            LogAnalysis analysis = LogAnalysis.analyze(ctx.logs(), dev.faultline.core.logs.LogPatterns.defaults(),
                    firstFault, trafficEntry.failed(), ctx.redactor());
            String visibility = analysis.visibility().name();
            String sentence = analysis.visibilitySentence();
            List<Journal.OriginEntry> origins = List.of();
            String attribution = null;
            Map<String, Long> userErrors = new LinkedHashMap<>();
            afterFault.stream().filter(Observation::failed)
                    .forEach(o -> userErrors.merge(o.errorClass().label(), 1L, Long::sum));
            if (!userErrors.isEmpty()) {
                ErrorOrigins byOrigin = ErrorOrigins.analyze(userErrors, ctx.logs(), analysis.findings(), front(ctx),
                        servicesByIp(ctx), firstFault);
                visibility = byOrigin.visible() ? "VISIBLE" : "NOT_VISIBLE";
                sentence = byOrigin.sentence();
                origins = byOrigin.origins().stream().map(o -> new Journal.OriginEntry(o.service(), o.errors(),
                        o.errorLines(), o.logged(), o.answer())).toList();
                attribution = byOrigin.attribution();
            }
            logs = new Journal.LogsEntry(visibility, sentence, analysis.userErrors(), analysis.lines(),
                    analysis.findings().stream().map(JournalBuilder::finding).toList(), origins, attribution);
        }
        Journal.Versions versions = new Journal.Versions(faultlineVersion(), System.getProperty("java.version"),
                ctx.engine().map(e -> e.version()).orElse(null), ctx.engine().map(e -> e.apiVersion()).orElse(null));
        return new Journal(Journal.SCHEMA_VERSION, r.runId(), r.name(), r.outcome().name(), r.reason(),
                start.toString(), r.endedAt().toString(), r.duration().toMillis(), definition, ctx.project(), targets,
                phases, faults, recovery, trafficEntry,
                r.verdicts().stream().map(v -> new Journal.VerdictEntry(v.expectation(), v.status().name(), v.reason()))
                        .toList(),
                (int) timeline.bucketWidth().toMillis(), buckets, events, marks, samples, logs, versions);
    }

    /** The nginx users call through: the service whose image or name says nginx; null when there is none. */
    private static String front(ReportContext ctx) {
        return ctx.containers().stream().filter(c -> c.image().toLowerCase(java.util.Locale.ROOT).contains("nginx")
                        || c.service().toLowerCase(java.util.Locale.ROOT).contains("nginx"))
                .map(ContainerInfo::service).findFirst()
                .orElse(ctx.logs().keySet().stream().filter(s -> s.toLowerCase(java.util.Locale.ROOT).contains("nginx"))
                        .findFirst().orElse(null));
    }

    private static Map<String, String> servicesByIp(ReportContext ctx) {
        Map<String, String> byIp = new LinkedHashMap<>();
        for (ContainerInfo c : ctx.containers()) {
            c.ipAddresses().values().forEach(ip -> byIp.put(ip, c.service()));
        }
        return byIp;
    }

    private static Journal.Definition definition(Experiment e) {
        List<Journal.PlannedFault> faults = new ArrayList<>();
        for (FaultStep s : e.faults()) {
            faults.add(new Journal.PlannedFault(s.fault().describe(), s.at().toMillis(),
                    s.lasting().map(Duration::toMillis).orElse(null)));
        }
        return new Journal.Definition(e.steadyState().map(s -> s.describe()).orElse(null),
                e.load().map(l -> l.describe()).orElse(null), e.load().map(l -> l.tracksWrites()).orElse(false),
                faults, e.expectations().stream().map(Expectation::describe).toList(),
                e.abortRules().stream().map(a -> a.describe()).toList(), e.recoveryWindow().toMillis(),
                e.healthyFor().toMillis());
    }

    private static Journal.FaultEntry fault(Instant start, FaultRecord f) {
        return new Journal.FaultEntry(f.fault(), f.mechanism(), f.targets(), f.plannedAt().toMillis(),
                f.lasting().map(Duration::toMillis).orElse(null), f.injectedAt().map(t -> ms(start, t)).orElse(null),
                f.revertedAt().map(t -> ms(start, t)).orElse(null), f.error().orElse(null), effect(f.effect()));
    }

    static Journal.EffectEntry effect(dev.faultline.core.fault.Effect e) {
        Map<String, String> counters = new LinkedHashMap<>();
        e.counters().forEach(c -> counters.put(c.name(), c.value() + (c.unit().isEmpty() ? "" : " " + c.unit())));
        return new Journal.EffectEntry(e.status().name(), e.summary(), e.cause().orElse(null), counters);
    }

    private static Journal.FindingEntry finding(LogFinding f) {
        return new Journal.FindingEntry(f.pattern().id(), f.pattern().component().label(), f.pattern().kind().name(),
                f.pattern().meaning(), f.service(), f.count(), f.firstAfterFault().map(Duration::toMillis).orElse(null),
                f.lastAfterFault().map(Duration::toMillis).orElse(null), f.samples());
    }

    private static String eventDetail(EngineEvent e) {
        String exit = e.attributes().get("exitCode");
        return exit == null ? null : "exit code " + exit;
    }

    private static Double percentile(List<Observation> calls, double p) {
        if (calls.isEmpty()) {
            return null;
        }
        long[] sorted = calls.stream().mapToLong(o -> o.latency().toNanos()).sorted().toArray();
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    private static long ms(Instant start, Instant t) {
        return Duration.between(start, t).toMillis();
    }

    static String faultlineVersion() {
        String v = JournalBuilder.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
