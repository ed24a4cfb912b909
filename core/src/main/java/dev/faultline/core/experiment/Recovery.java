package dev.faultline.core.experiment;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Recovery metrics, from the steady-state checks (or the load, without a steady state).
 *
 * @param faultEndedAt   the end of the last fault: its revert, or the one-shot fault itself
 * @param timeToDetect   first fault to the first failed check
 * @param backAt         the first passing check after the fault ended (the stack answers again)
 * @param recoveredAt    start of the first run of passing checks that lasted the healthy window
 * @param timeToRecover  fault end to {@code recoveredAt}
 * @param outage         first failure to {@code recoveredAt}
 * @param availability   share of passing checks from the first fault to the end of observation
 */
public record Recovery(
        Optional<Instant> faultEndedAt,
        Optional<Duration> timeToDetect,
        Optional<Instant> backAt,
        Optional<Instant> recoveredAt,
        Optional<Duration> timeToRecover,
        Optional<Duration> outage,
        double availability) {

    static Recovery none() {
        return new Recovery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 1.0);
    }
}
