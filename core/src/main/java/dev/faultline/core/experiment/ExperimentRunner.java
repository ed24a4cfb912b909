package dev.faultline.core.experiment;

import dev.faultline.core.engine.Engine;
import dev.faultline.core.fault.Effect;
import dev.faultline.core.fault.FaultContext;
import dev.faultline.core.fault.Injection;
import dev.faultline.core.observe.Mark;
import dev.faultline.core.safety.SafeRun;
import dev.faultline.core.safety.SafetyRefusedException;
import dev.faultline.core.steadystate.SteadyStateCheck;
import dev.faultline.core.target.Targets;
import dev.faultline.core.time.Waits;
import java.io.Closeable;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link Experiment}s against one stack, phase by phase: steady-state check (refuse to inject
 * if it fails) → load and observation → baseline → faults at their offsets → observe → revert
 * (always) → wait for recovery → verify the steady state and the writes → verdicts.
 *
 * <p>The runner never throws for what the stack does: a refused, failed, aborted or broken run is
 * an {@link ExperimentResult} with an {@link Outcome} and a reason.
 */
public final class ExperimentRunner {

    /**
     * How long before a fault's offset the runner stops sleeping and spins: a millisecond, not the
     * default 100 µs, because a busy machine's scheduler latency is ms-scale (BENCHMARKS.md §2).
     */
    private static final long SPIN_NANOS = 1_000_000;

    private static final Logger log = LoggerFactory.getLogger(ExperimentRunner.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Engine engine;
    private final Targets targets;
    private final Clock clock;
    private final List<RunListener> listeners;

    public ExperimentRunner(Engine engine, Targets targets) {
        this(engine, targets, Clock.systemUTC());
    }

    public ExperimentRunner(Engine engine, Targets targets, Clock clock) {
        this(engine, targets, clock, List.of());
    }

    private ExperimentRunner(Engine engine, Targets targets, Clock clock, List<RunListener> listeners) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.targets = Objects.requireNonNull(targets, "targets");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listeners = List.copyOf(listeners);
    }

    /** A runner that also tells {@code listener} about each run (reports, a progress line). */
    public ExperimentRunner withListener(RunListener listener) {
        Objects.requireNonNull(listener, "listener");
        List<RunListener> all = new ArrayList<>(listeners);
        all.add(listener);
        return new ExperimentRunner(engine, targets, clock, all);
    }

    private void tell(String what, java.util.function.Consumer<RunListener> call) {
        for (RunListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                log.warn("run listener {} failed on {}: {}", l.getClass().getSimpleName(), what, e.toString());
            }
        }
    }

    public ExperimentResult run(Experiment experiment) {
        Objects.requireNonNull(experiment, "experiment");
        byte[] suffix = new byte[3];
        RANDOM.nextBytes(suffix);
        String runId = experiment.name() + "-" + HexFormat.of().formatHex(suffix);
        Run run = new Run(experiment, runId);
        return RunThread.call(runId, run::execute, run.abort::abort);
    }

    /** Thrown inside a run when it was aborted; carries the reason. */
    private static final class Aborted extends Exception {
        Aborted(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The mutable state of one run. */
    private final class Run {
        private final Experiment experiment;
        private final String runId;
        private final List<Phase> phases = new ArrayList<>();
        private final List<FaultRecord> failedInjections = new ArrayList<>();
        private final AbortSignal abort;
        private final RevertGuard guard;
        /** The run's ledger, reaper and production guard; set when the run starts. */
        private SafeRun safety;
        /** What the production guard refused, when it refused the first fault. */
        private String refusal;
        private String writesError;
        private Instant startedAt;
        private long observeStartNanos;
        private final RunRecord record;

        Run(Experiment experiment, String runId) {
            this.experiment = experiment;
            this.runId = runId;
            this.abort = new AbortSignal(runId);
            this.record = new RunRecord(runId, experiment.abortRules(), abort, o -> tell("observation", l -> l.observed(o)));
            this.guard = new RevertGuard(runId, experiment.revertTimeout(), clock);
        }

        ExperimentResult execute() {
            startedAt = clock.instant();
            log.info("run {}: starting experiment '{}'", runId, experiment.name());
            // before anything else: refuse a remote engine, undo what dead runs left, open the ledger
            try {
                safety = SafeRun.start(engine, runId, experiment.safety());
            } catch (SafetyRefusedException e) {
                return refused(e.getMessage());
            }
            // beside the steady-state check rather than before it, which it would lengthen; awaited before
            // the observation clock starts (executeSafely), so that its start never delays a scheduled fault
            safety.startReaperInBackground();
            try {
                return executeSafely();
            } finally {
                safety.close();
            }
        }

        private ExperimentResult executeSafely() {

            Instant checkStart = clock.instant();
            if (experiment.steadyState().isPresent()) {
                enter("steady-state check");
                SteadyStateCheck before = experiment.steadyState().get().check();
                phases.add(new Phase("steady-state check", checkStart, clock.instant()));
                if (!before.holds()) {
                    return refused("refused: steady state did not hold before injection: " + before.describeFailure());
                }
            }

            safety.awaitReaper();

            SteadyStateSampler sampler = null;
            ReadinessSampler readiness = null;
            Closeable eventStream = null;
            ResourceSampler resources = null;
            Workload.Running load = null;
            String error = null;
            Workload.WriteCheck writes = null;
            writesError = null;
            try {
                eventStream = record.subscribe(engine, targets);
                resources = ResourceSampler.start(engine, targets, record.timeline(), runId);
                observeStartNanos = System.nanoTime();
                if (experiment.steadyState().isPresent()) {
                    sampler = SteadyStateSampler.start(experiment.steadyState().get(), experiment.sampleInterval(),
                            record.clock(), record::record, runId);
                }
                readiness = ReadinessSampler.start(experiment, clock, record::readiness, runId);
                if (experiment.load().isPresent()) {
                    load = experiment.load().get().start(record::load);
                }
                try {
                    enter("baseline");
                    Instant baselineStart = clock.instant();
                    waitUntil(experiment.baseline());
                    phases.add(new Phase("baseline", baselineStart, clock.instant()));
                    enter("inject and observe");
                    Instant injectStart = clock.instant();
                    error = injectAndObserve();
                    phases.add(new Phase("inject and observe", injectStart, clock.instant()));
                } catch (Aborted a) {
                    // reason already recorded
                } catch (InterruptedException e) {
                    abort.abort("aborted: the run was interrupted");
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    error = "the runner failed: " + e;
                    log.error("run {}: {}", runId, error, e);
                } finally {
                    enter("revert");
                    Instant revertStart = clock.instant();
                    guard.revertAll();
                    phases.add(new Phase("revert", revertStart, clock.instant()));
                }

                Optional<Instant> faultEnded = faultEnded();
                if (!abort.aborted() && error == null && faultEnded.isPresent()) {
                    enter("recovery");
                    Instant recoveryStart = clock.instant();
                    awaitRecovery(faultEnded.get());
                    phases.add(new Phase("recovery", recoveryStart, clock.instant()));
                    if (experiment.steadyState().isPresent() && !abort.aborted()) {
                        Instant verifyStart = clock.instant();
                        SteadyStateCheck after = experiment.steadyState().get().check();
                        phases.add(new Phase("verify steady state", verifyStart, clock.instant()));
                        record.note(after.holds() ? "steady state holds" : "steady state does not hold: "
                                + after.describeFailure());
                    }
                }
                if (load != null && experiment.load().get().tracksWrites() && !abort.aborted() && error == null) {
                    Instant verifyStart = clock.instant();
                    record.loadClosing();
                    load.close();
                    try {
                        writes = load.verifyWrites();
                    } catch (RuntimeException e) {
                        writesError = String.valueOf(e.getMessage());
                        log.warn("run {}: writes could not be read back: {}", runId, writesError);
                    }
                    phases.add(new Phase("verify writes", verifyStart, clock.instant()));
                }
            } finally {
                if (sampler != null) {
                    closeQuietly(sampler::close);
                }
                if (readiness != null) {
                    readiness.close();
                }
                if (load != null) {
                    record.loadClosing();
                    closeQuietly(load::close);
                }
                if (eventStream != null) {
                    closeQuietly(eventStream::close);
                }
                if (resources != null) {
                    resources.close();
                }
                guard.close();
            }

            return judged(new RunSnapshot(experiment, startedAt, faultSpans(), record.observations(), diagnosis(), Optional.ofNullable(writes),
                    Optional.ofNullable(writesError), new RunSnapshot.Ending(guard.entries().stream()
                            .flatMap(e -> e.error().stream()).toList(), Optional.ofNullable(refusal),
                            Optional.ofNullable(error), Optional.ofNullable(abort.reason()))));
        }

        private void enter(String phase) {
            tell("phase " + phase, l -> l.phaseStarted(experiment, runId, phase));
        }

        /** Waits until {@code offset} after the start of observation, unless an abort rule fires first. */
        private void waitUntil(Duration offset) throws Aborted, InterruptedException {
            // the abort latch wakes the wait at once; the last stretch is spun so faults start on their offset
            if (abort.aborted() || !Waits.until(observeStartNanos + offset.toNanos(), SPIN_NANOS, abort::aborted, abort::await)) {
                throw new Aborted(abort.reason());
            }
        }

        private record Step(Duration at, FaultStep inject, RevertGuard.Entry revert) {}

        /** Injects every fault at its offset and reverts timed ones when due; returns an error or null. */
        private String injectAndObserve() throws Aborted, InterruptedException {
            // a fault that meets another of this run's (latency to a paused db) names it, not just a state
            FaultContext context = new FaultContext(engine, targets, runId, container -> guard.entries().stream()
                    .filter(e -> e.revertedAt().isEmpty() && e.injection.targets().contains(container))
                    .map(e -> e.step.fault().describe()).reduce((a, b) -> b));
            PriorityQueue<Step> due = new PriorityQueue<>(Comparator.comparing(Step::at));
            for (FaultStep step : experiment.faults()) {
                due.add(new Step(step.at(), step, null));
            }
            while (!due.isEmpty()) {
                Step next = due.poll();
                waitUntil(next.at());
                if (next.revert() != null) {
                    guard.revert(next.revert());
                    continue;
                }
                FaultStep step = next.inject();
                Injection injection;
                Instant returned;
                try {
                    injection = safety.guard(step.fault()).inject(context);
                    // the clock is read, and the line logged, after the call: a log line before it
                    // would delay the fault by its cost, one before the clock would delay its end
                    returned = clock.instant();
                    log.info("run {}: injected {}", runId, step.fault().describe());
                } catch (RuntimeException e) {
                    if (e instanceof SafetyRefusedException && guard.entries().isEmpty()) {
                        refusal = e.getMessage();
                    }
                    failedInjections.add(new FaultRecord(step.fault().describe(), step.at(), step.lasting(), "-",
                            List.of(), Optional.empty(), Optional.empty(), Optional.of(String.valueOf(e.getMessage())),
                            Effect.notMeasured("it was not injected")));
                    return "could not inject '" + step.fault().describe() + "': " + e.getMessage();
                }
                Instant injectedAt = injection.injectedAt() == null ? returned : injection.injectedAt();
                RevertGuard.Entry entry = guard.register(step, injection, injectedAt, returned);
                record.mark(injectedAt, Mark.Kind.FAULT_INJECTED, step.fault().describe());
                if (step.lasting().isPresent()) {
                    Duration now = Duration.ofNanos(System.nanoTime() - observeStartNanos);
                    due.add(new Step(now.plus(step.lasting().get()), null, entry));
                }
            }
            return null;
        }

        /** Waits for the steady state to hold for the healthy window, then observes a little longer. */
        private void awaitRecovery(Instant faultEnded) {
            try {
                new RecoveryWait(experiment, record::observations, abort, clock).await(faultEnded, faultSpans());
            } catch (InterruptedException e) {
                abort.abort("aborted: the run was interrupted while waiting for recovery");
                Thread.currentThread().interrupt();
            }
        }

        /** Each injected fault's span; a one-shot fault ends when its injection returned. */
        private List<RunSnapshot.FaultSpan> faultSpans() {
            return guard.entries().stream().map(e -> new RunSnapshot.FaultSpan(e.injectedAt,
                    e.step.lasting().isPresent() ? e.revertedAt().orElse(e.injectReturned) : e.injectReturned,
                    e.step.fault().describe(), e.effect())).toList();
        }

        private Optional<Instant> faultEnded() {
            return faultSpans().stream().map(RunSnapshot.FaultSpan::endedAt).max(Comparator.naturalOrder());
        }

        /**
         * What the containers did, for the recovery verdict's reason; asked of the engine only when a
         * recovery verdict will be given, so a run without one makes no extra calls.
         */
        private String diagnosis() {
            boolean asked = experiment.expectations().stream().anyMatch(e -> e instanceof Expectation.RecoveredWithin);
            if (!asked || faultEnded().isEmpty()) {
                return "";
            }
            return Analysis.diagnose(targets, record.events());
        }

        /** Refused before anything was injected: judged like every other run, so expectations say why. */
        private ExperimentResult refused(String why) {
            return judged(new RunSnapshot(experiment, startedAt, List.of(), record.observations(), "", Optional.empty(),
                    Optional.empty(), new RunSnapshot.Ending(List.of(), Optional.of(why), Optional.empty(),
                    Optional.empty())));
        }

        private ExperimentResult judged(RunSnapshot snapshot) {
            Verdicts.Judgement judgement = Verdicts.judge(snapshot);
            return result(judgement.outcome(), judgement.reason(), judgement.recovery(), judgement.verdicts());
        }

        private List<FaultRecord> faultRecords() {
            List<FaultRecord> faults = new ArrayList<>();
            for (RevertGuard.Entry e : guard.entries()) {
                faults.add(new FaultRecord(e.step.fault().describe(), e.step.at(), e.step.lasting(),
                        e.injection.mechanism(), e.injection.targets(), Optional.of(e.injectedAt), e.revertedAt(),
                        e.error(), e.effect()));
            }
            faults.addAll(failedInjections);
            return faults;
        }

        private ExperimentResult result(Outcome outcome, String reason, Recovery recovery, List<Verdict> verdicts) {
            List<FaultRecord> faults = faultRecords();
            for (RevertGuard.Entry e : guard.entries()) {
                e.revertedAt().ifPresent(t -> record.mark(t, Mark.Kind.FAULT_REVERTED,
                        e.step.fault().describe()));
            }
            ExperimentResult result = new ExperimentResult(experiment.name(), runId, outcome, reason, startedAt,
                    clock.instant(), phases, faults, recovery, verdicts, record.events(), record.observations(), record.timeline());
            log.info("run {}: {}: {}", runId, outcome, reason);
            tell("finish", l -> l.finished(experiment, result));
            return result;
        }

        private void closeQuietly(ThrowingRunnable r) {
            try {
                r.run();
            } catch (Exception e) {
                log.warn("run {}: cleanup step failed: {}", runId, e.toString());
            }
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
