package dev.faultline.core.experiment;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * No effect, no HELD: a run in which an injected fault measurably reached nothing (its counters stayed
 * at zero) is {@link Outcome#INCONCLUSIVE}, whatever its expectations say, because it tested nothing
 * about that fault. A pure function of the faults' records.
 */
final class Inconclusive {

    private Inconclusive() {}

    /**
     * The reason, naming each fault that missed, what it counted and the likely cause, followed by what
     * the expectations said (their verdicts are kept); empty when every injected fault bit or could not
     * be measured.
     */
    static Optional<String> reason(List<FaultRecord> faults, List<Verdict> verdicts) {
        List<FaultRecord> missed = faults.stream().filter(FaultRecord::missed).toList();
        if (missed.isEmpty()) {
            return Optional.empty();
        }
        String which = missed.stream().map(f -> "'" + f.fault() + "' had no effect: " + f.effect().summary()
                + "; likely cause: " + f.effect().cause().orElse("unknown")).collect(Collectors.joining("; "));
        long notHeld = verdicts.stream().filter(v -> !v.held()).count();
        String expectations = verdicts.isEmpty() ? "" : notHeld == 0
                ? " (the expectations held, but say nothing about a fault that reached nothing)"
                : " (" + notHeld + " of " + verdicts.size() + " expectations did not hold)";
        return Optional.of("inconclusive: " + which + expectations);
    }
}
