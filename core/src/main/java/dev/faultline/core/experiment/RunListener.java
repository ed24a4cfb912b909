package dev.faultline.core.experiment;

/**
 * Hears a run as it goes: phases, every observed call, the result. Listeners are called on the
 * run's threads, so they must be fast and must not throw (what one throws is logged and ignored:
 * a report or a progress line never changes a run's outcome).
 */
public interface RunListener {

    /** A phase began: "steady-state check", "baseline", "inject and observe", "revert", "recovery", ... */
    default void phaseStarted(Experiment experiment, String runId, String phase) {}

    /** One steady-state check or load request, from any thread. */
    default void observed(Observation observation) {}

    /** The run is over; {@code result} is final. Writing reports and notifying happen here. */
    default void finished(Experiment experiment, ExperimentResult result) {}
}
