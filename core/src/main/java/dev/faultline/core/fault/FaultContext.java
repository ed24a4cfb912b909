package dev.faultline.core.fault;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.target.Targets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a fault needs to act: the engine, the stack it targets and the run it belongs to
 * (the run id labels every helper container and comments every netfilter rule).
 *
 * @param heldBy which of this run's faults holds a container (by name) in effect now, e.g.
 *               {@code "pause db"}, so that a fault meeting another's work says so instead of
 *               "not running"; empty when none (or when faults run outside an experiment)
 */
public record FaultContext(Engine engine, Targets targets, String runId, Function<String, Optional<String>> heldBy) {
    public FaultContext {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(heldBy, "heldBy");
    }

    public FaultContext(Engine engine, Targets targets, String runId) {
        this(engine, targets, runId, name -> Optional.empty());
    }

    /** The same context for another engine (a recording one, say). */
    public FaultContext withEngine(Engine other) {
        return new FaultContext(other, targets, runId, heldBy);
    }

    /**
     * The state a container was found in, in words: "paused by this run's 'pause db'", or just its state
     * ("exited") when no fault of this run holds it.
     */
    public String stateOf(ContainerInfo c) {
        String state = c.state().name().toLowerCase(Locale.ROOT);
        return heldBy.apply(c.name()).map(f -> state + " by this run's '" + f + "'").orElse(state);
    }
}
