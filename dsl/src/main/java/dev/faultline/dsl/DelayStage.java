package dev.faultline.dsl;

import java.time.Duration;

/** A latency fault waiting for its destination: {@code .delay(ofMillis(500)).jitter(ofMillis(50)).to("db", 5432)}. */
public sealed interface DelayStage permits DelayStep {

    /** Varies each delay by up to {@code jitter} either way (at most the latency itself). */
    DelayStage jitter(Duration jitter);

    /**
     * Leaves the service's established connections alone: only connections opened after injection are
     * delayed (without netem). By default they are reset at injection so they reconnect through the delay.
     */
    DelayStage onlyNewConnections();

    /**
     * Traffic to {@code service}'s {@code port} is delayed, established connections included: without netem
     * they are reset at injection (kernel socket destroy in the service's namespace) and reconnect through
     * the delay, unless {@link #onlyNewConnections()}.
     */
    FaultStage to(String service, int port);
}
