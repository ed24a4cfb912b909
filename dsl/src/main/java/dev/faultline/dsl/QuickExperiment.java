package dev.faultline.dsl;

import dev.faultline.core.experiment.ExperimentResult;
import java.time.Duration;

/** The one-line experiment: a baseline, one fault, the steady state back within a bound. */
record QuickExperiment(PlannedFault fault, HealthCheck steadyState) implements ExpectStage {

    /** Long enough to see the steady state hold before anything happens. */
    static final Duration BASELINE = Duration.ofSeconds(2);

    @Override
    public ExperimentResult within(Duration within) {
        Args.positive("within", within, Duration.ofHours(1));
        return fault.project().experiment(fault.service() + "-" + fault.verb())
                .steadyState(steadyState)
                .fault(fault, Chaos.at(BASELINE))
                .expect(Expectations.recoveredWithin(within))
                .run();
    }
}
