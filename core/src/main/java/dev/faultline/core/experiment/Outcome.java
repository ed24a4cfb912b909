package dev.faultline.core.experiment;

/** How an experiment ended. */
public enum Outcome {
    /** Every expectation held. */
    HELD,
    /** At least one expectation failed or could not be checked. */
    FAILED,
    /**
     * Nothing was injected: the steady state did not hold before injection, or the production guard
     * refused (a remote engine, a container labelled {@code faultline.protect=true}); the reason says how to allow it.
     */
    REFUSED,
    /**
     * The faults were injected, but at least one measurably reached nothing (its {@link
     * dev.faultline.core.fault.Effect} is none): whatever the expectations say (their verdicts are still
     * given), the run says nothing about how the stack copes with that fault. The reason names the fault,
     * the counter that stayed at zero and the likely cause.
     */
    INCONCLUSIVE,
    /** An abort rule fired, or the run was interrupted; everything injected was reverted. */
    ABORTED,
    /** A fault could not be injected or reverted, or the runner itself failed. */
    ERROR
}
