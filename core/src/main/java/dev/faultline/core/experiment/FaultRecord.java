package dev.faultline.core.experiment;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What happened to one fault.
 *
 * @param injectedAt  empty when injection failed ({@code error} says why)
 * @param revertedAt  empty when the revert failed or never ran
 * @param error       why injecting or reverting failed; a failed revert means the fault may still be in effect
 */
public record FaultRecord(
        String fault,
        Duration plannedAt,
        Optional<Duration> lasting,
        String mechanism,
        List<String> targets,
        Optional<Instant> injectedAt,
        Optional<Instant> revertedAt,
        Optional<String> error) {

    public FaultRecord {
        targets = List.copyOf(targets);
    }

    public boolean revertFailed() {
        return injectedAt.isPresent() && revertedAt.isEmpty();
    }
}
