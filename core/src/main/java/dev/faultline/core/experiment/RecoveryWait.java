package dev.faultline.core.experiment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The runner's wait after the faults are reverted: until the steady state held for the healthy
 * window (or the recovery window is over), until every {@link Expectation.BackWithin} probe went
 * down and came back (or its bound passed), then the observation after recovery. Everything it
 * decides comes from what was observed so far; an abort ends it at once.
 */
final class RecoveryWait {

    private final Experiment experiment;
    private final Supplier<List<Observation>> observed;
    private final AbortSignal abort;
    private final Clock clock;

    RecoveryWait(Experiment experiment, Supplier<List<Observation>> observed, AbortSignal abort, Clock clock) {
        this.experiment = experiment;
        this.observed = observed;
        this.abort = abort;
        this.clock = clock;
    }

    /** Waits for recovery after {@code faultEnded}; {@code spans} are the faults injected. */
    void await(Instant faultEnded, List<RunSnapshot.FaultSpan> spans) throws InterruptedException {
        long deadline = System.nanoTime() + experiment.recoveryWindow().plus(experiment.healthyFor()).toNanos();
        Optional<Instant> recovered = Optional.empty();
        while (System.nanoTime() < deadline && !abort.aborted()) {
            recovered = Figures.recoveredAt(Analysis.from(observed.get(), RunSnapshot.recoverySource(experiment)), faultEnded,
                    experiment.healthyFor());
            if (recovered.isPresent()) {
                break;
            }
            if (abort.await(experiment.sampleInterval().toNanos())) {
                return;
            }
        }
        awaitBack(spans);
        if (recovered.isPresent() && !experiment.afterRecovery().isZero()) {
            abort.await(experiment.afterRecovery().toNanos());
        }
    }

    /**
     * Keeps observing until each {@link Expectation.BackWithin} probe failed and passed again after the first
     * fault, or its bound from the first fault has passed: the run must not end before what it measures happened.
     */
    private void awaitBack(List<RunSnapshot.FaultSpan> spans) throws InterruptedException {
        List<Expectation.BackWithin> backs = experiment.expectations().stream()
                .filter(e -> e instanceof Expectation.BackWithin).map(e -> (Expectation.BackWithin) e).toList();
        Optional<Instant> first = spans.stream().map(RunSnapshot.FaultSpan::injectedAt).min(Comparator.naturalOrder());
        if (backs.isEmpty() || first.isEmpty()) {
            return;
        }
        Duration longest = backs.stream().map(Expectation.BackWithin::within).max(Duration::compareTo).orElseThrow();
        Instant until = first.get().plus(longest);
        while (!abort.aborted() && clock.instant().isBefore(until)) {
            List<Observation> samples = Analysis.from(observed.get(), Observation.Source.READINESS).stream()
                    .filter(o -> !o.time().isBefore(first.get())).toList();
            boolean allBack = backs.stream().allMatch(b -> {
                String prefix = b.readiness().name() + ": ";
                Optional<Instant> down = samples.stream().filter(o -> !o.ok() && o.detail().startsWith(prefix))
                        .map(Observation::time).findFirst();
                return down.isPresent() && samples.stream().anyMatch(o -> o.ok() && o.detail().startsWith(prefix)
                        && o.time().isAfter(down.get()));
            });
            if (allBack || abort.await(Duration.ofMillis(ReadinessSampler.PERIOD_MILLIS).toNanos())) {
                return;
            }
        }
    }
}
