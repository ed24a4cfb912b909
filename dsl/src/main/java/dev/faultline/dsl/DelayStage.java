package dev.faultline.dsl;

import java.time.Duration;

/** A latency fault waiting for its destination: {@code .delay(ofMillis(500)).jitter(ofMillis(50)).to("db", 5432)}. */
public sealed interface DelayStage permits DelayStep {

    /** Varies each delay by up to {@code jitter} either way (at most the latency itself). */
    DelayStage jitter(Duration jitter);

    /** Traffic to {@code service}'s {@code port} is delayed; connections opened before the fault are not (see the fault). */
    FaultStage to(String service, int port);
}
