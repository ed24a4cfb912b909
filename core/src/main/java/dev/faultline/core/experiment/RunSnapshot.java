package dev.faultline.core.experiment;

import dev.faultline.core.fault.Effect;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a run observed and how it ended, frozen: the input of {@link Verdicts}. The runner
 * builds one when observation is over; a test builds one by hand, without threads or an engine.
 *
 * @param experiment   what was asked: expectations, the healthy window, steady state and load
 * @param startedAt    when the run started (offsets in reasons count from here)
 * @param faults       each injected fault's span, in injection order
 * @param observations every steady-state check, load request and readiness sample: the one store
 *                     from which recovery, error rates, p99 and "no errors after" are derived
 * @param diagnosis    what the stack's containers did, in words ("web exited with 137 and was not
 *                     restarted ..."); empty when there is nothing to say or nobody asked
 * @param writes       the read-back of acknowledged writes, when it was done
 * @param writesError  why the read-back failed, when it did
 * @param ending       what cut the run short, if anything
 */
record RunSnapshot(
        Experiment experiment,
        Instant startedAt,
        List<FaultSpan> faults,
        List<Observation> observations,
        String diagnosis,
        Optional<Workload.WriteCheck> writes,
        Optional<String> writesError,
        Ending ending) {

    RunSnapshot {
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(startedAt, "startedAt");
        faults = List.copyOf(faults);
        observations = List.copyOf(observations);
        Objects.requireNonNull(diagnosis, "diagnosis");
        Objects.requireNonNull(writes, "writes");
        Objects.requireNonNull(writesError, "writesError");
        Objects.requireNonNull(ending, "ending");
    }

    /**
     * One injected fault in time.
     *
     * @param injectedAt when it took effect
     * @param endedAt    its revert for a fault with a duration; for a one-shot fault (a crash, a
     *                   restart) the moment its injection returned, for it is over then
     * @param fault      the fault in words, as reasons name it
     * @param effect     what it measurably did, read right after its revert
     */
    record FaultSpan(Instant injectedAt, Instant endedAt, String fault, Effect effect) {
        FaultSpan {
            Objects.requireNonNull(injectedAt, "injectedAt");
            Objects.requireNonNull(endedAt, "endedAt");
            Objects.requireNonNull(fault, "fault");
            Objects.requireNonNull(effect, "effect");
        }

        /** A span whose effect was not measured (a test's, or a fault that does not measure). */
        FaultSpan(Instant injectedAt, Instant endedAt) {
            this(injectedAt, endedAt, "a fault", Effect.notMeasured("not measured"));
        }
    }

    /**
     * What stopped the run from running its course; all empty for a run that did.
     *
     * @param revertErrors each revert that failed
     * @param refusal      what the production guard refused, when it refused the first fault
     * @param error        a fault that could not be injected, or the runner's own failure
     * @param abortReason  the abort rule that fired, or the interrupt
     */
    record Ending(List<String> revertErrors, Optional<String> refusal, Optional<String> error,
                  Optional<String> abortReason) {
        Ending {
            revertErrors = List.copyOf(revertErrors);
            Objects.requireNonNull(refusal, "refusal");
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(abortReason, "abortReason");
        }

        static Ending ranItsCourse() {
            return new Ending(List.of(), Optional.empty(), Optional.empty(), Optional.empty());
        }

        boolean aborted() {
            return abortReason.isPresent();
        }
    }

    Optional<Instant> firstInjected() {
        return faults.stream().map(FaultSpan::injectedAt).min(Comparator.naturalOrder());
    }

    /** The end of the last fault. */
    Optional<Instant> faultEnded() {
        return faults.stream().map(FaultSpan::endedAt).max(Comparator.naturalOrder());
    }

    /** Recovery is judged on the steady-state checks, or on the load when there is no steady state. */
    Observation.Source recoverySource() {
        return recoverySource(experiment);
    }

    static Observation.Source recoverySource(Experiment experiment) {
        return experiment.steadyState().isPresent() ? Observation.Source.STEADY_STATE : Observation.Source.LOAD;
    }

    /** Error rates and latency are judged on the load, or on the steady-state checks when there is no load. */
    Observation.Source trafficSource() {
        return experiment.load().isPresent() ? Observation.Source.LOAD : Observation.Source.STEADY_STATE;
    }

    /** How reasons name the traffic: "requests" or "steady-state checks". */
    String calls() {
        return trafficSource() == Observation.Source.LOAD ? "requests" : "steady-state checks";
    }
}
