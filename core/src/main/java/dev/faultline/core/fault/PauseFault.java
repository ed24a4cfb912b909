package dev.faultline.core.fault;

import dev.faultline.core.engine.ContainerInfo;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Freezes every process of a container (API pause: the cgroup freezer); revert unpauses it.
 * Connections stay open but nothing answers, the way a hung process or a long GC looks to its clients.
 */
public record PauseFault(Targeting targeting) implements PerContainerFaultSupport {

    public PauseFault {
        Objects.requireNonNull(targeting, "targeting");
    }

    public static PauseFault of(String service) {
        return new PauseFault(Targeting.all(service));
    }

    public PauseFault index(int index) {
        return new PauseFault(targeting.index(index));
    }

    public PauseFault limit(int max) {
        return new PauseFault(targeting.limit(max));
    }

    @Override
    public String kind() {
        return "pause";
    }

    @Override
    public String describe() {
        return "pause " + targeting + " (freeze every process; reverted by unpause)";
    }

    @Override
    public Injection injectOne(FaultContext context, ContainerInfo c) {
        Instant at = Instant.now();
        context.engine().pause(c.id());
        return SimpleInjection.reverting("API pause of " + c.name() + " (cgroup freezer), reverted by API unpause",
                List.of(c.name()), at, () -> {
                    // something else may have unpaused it meanwhile (the effect then says so): nothing left to undo
                    if (context.engine().inspect(c.id()).state() == dev.faultline.core.engine.ContainerState.PAUSED) {
                        context.engine().unpause(c.id());
                    }
                })
                .measuredBy(() -> Lifecycles.seen(context.engine(), c, kind(), dev.faultline.core.engine.ContainerState.PAUSED,
                        c.name() + " was not paused when the revert came: something else unpaused, stopped or restarted it"));
    }
}
