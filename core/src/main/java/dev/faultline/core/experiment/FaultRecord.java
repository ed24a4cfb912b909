package dev.faultline.core.experiment;

import dev.faultline.core.fault.Effect;
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
 * @param effect      what the fault measurably did during its window (read right after its revert);
 *                    {@link Effect#notMeasured} for a fault that was never injected
 */
public record FaultRecord(
        String fault,
        Duration plannedAt,
        Optional<Duration> lasting,
        String mechanism,
        List<String> targets,
        Optional<Instant> injectedAt,
        Optional<Instant> revertedAt,
        Optional<String> error,
        Effect effect) {

    public FaultRecord {
        targets = List.copyOf(targets);
        java.util.Objects.requireNonNull(effect, "effect");
    }

    /** Injected, and its counters stayed at zero: it reached nothing. */
    public boolean missed() {
        return injectedAt.isPresent() && effect.none();
    }

    public boolean revertFailed() {
        return injectedAt.isPresent() && revertedAt.isEmpty();
    }
}
