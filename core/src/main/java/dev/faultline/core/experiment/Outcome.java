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
    /** An abort rule fired, or the run was interrupted; everything injected was reverted. */
    ABORTED,
    /** A fault could not be injected or reverted, or the runner itself failed. */
    ERROR
}
