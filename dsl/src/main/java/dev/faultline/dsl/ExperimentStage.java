package dev.faultline.dsl;

import dev.faultline.core.experiment.AbortRule;
import dev.faultline.core.experiment.Expectation;
import dev.faultline.core.experiment.Experiment;
import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.experiment.Workload;
import dev.faultline.core.probe.Probe;
import java.time.Duration;

/**
 * A full experiment being described: {@code Chaos.experiment("db-restart").steadyState(health(200))
 * .fault(on("db").restart(), at(ofSeconds(5))).expect(recoveredWithin(ofSeconds(30))).run()}.
 * Each step returns a new value; {@link #build()} checks the whole and {@link #run()} runs it.
 */
public sealed interface ExperimentStage permits ExperimentPlan {

    ExperimentStage steadyState(HealthCheck check);

    ExperimentStage steadyState(Probe probe);

    ExperimentStage load(Workload load);

    /** Load described with {@link Load#constantRate(double)}, sent to the project's address unless it names one. */
    ExperimentStage load(LoadPlan load);

    /**
     * Injects {@code fault} at {@code at} into this experiment's project. A fault built on a project
     * of another name ({@code Chaos.project("a").on("db")...} in an experiment on project "b") is
     * rejected, naming both; one built on a project without a name (found as Compose finds it, e.g.
     * {@code Chaos.on("db")} with FAULTLINE_PROJECT unset) runs against this experiment's project.
     */
    ExperimentStage fault(FaultStage fault, At at);

    /** As {@link #fault(FaultStage, At)}, lasting {@code lasting}. */
    ExperimentStage fault(FaultStage fault, At at, Lasting lasting);

    ExperimentStage expect(Expectation first, Expectation... more);

    ExperimentStage abortWhen(AbortRule rule);

    /** How long to wait for recovery after the last fault (default: the longest recoveredWithin, else 30 s). */
    ExperimentStage recoveryWindow(Duration window);

    /** How long to keep observing once recovered (default 3 s). */
    ExperimentStage afterRecovery(Duration duration);

    /** How often the steady state is checked while the experiment runs (default every 100 ms). */
    ExperimentStage sampleEvery(Duration interval);

    /**
     * Allows a Docker engine that is not on this machine. Refused by default: a remote endpoint may be
     * production. (Also {@link Project#allowRemoteEngine()} for every experiment of a project.)
     */
    ExperimentStage allowRemoteEngine();

    /**
     * Allows faults on containers labelled {@code faultline.protect=true}, refused by default. (Also
     * {@link Project#allowProtected()}.)
     */
    ExperimentStage allowProtected();

    /** The validated experiment, without running it. */
    Experiment build();

    /** Checks the services exist, then runs the experiment on the project's engine. */
    ExperimentResult run();
}
