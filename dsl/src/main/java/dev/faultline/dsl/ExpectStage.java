package dev.faultline.dsl;

import dev.faultline.core.experiment.ExperimentResult;
import java.time.Duration;

/** A one-fault experiment waiting for its recovery bound; {@link #within} runs it. */
public sealed interface ExpectStage permits QuickExperiment {

    /** Runs the experiment: the steady state must hold again within {@code within} of the end of the fault. */
    ExperimentResult within(Duration within);
}
