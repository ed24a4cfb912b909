package dev.faultline.dsl;

import dev.faultline.core.fault.Fault;
import java.time.Duration;

/**
 * A fault on a service, ready to run on its own ({@code .expect(health(200)).within(ofSeconds(30))})
 * or to be placed in an experiment ({@code .fault(on("db").restart(), at(ofSeconds(5)))}).
 */
public sealed interface FaultStage permits PlannedFault {

    /** How long the fault stays in effect; faults that last (stop, pause, CPU, latency) default to 10 s. */
    FaultStage lasting(Duration duration);

    /** The steady state that must hold before the fault and again after it. */
    ExpectStage expect(HealthCheck steadyState);

    /** The core fault this stage stands for, e.g. to hand to a runner directly. */
    Fault fault();

    /** "crash web (SIGKILL to its main process)". */
    String describe();
}
