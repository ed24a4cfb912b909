package dev.faultline.core.fault;

import dev.faultline.core.engine.Engine;
import dev.faultline.core.target.Targets;
import java.util.Objects;

/**
 * What a fault needs to act: the engine, the stack it targets and the run it belongs to
 * (the run id labels every helper container and comments every netfilter rule).
 */
public record FaultContext(Engine engine, Targets targets, String runId) {
    public FaultContext {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(runId, "runId");
    }
}
