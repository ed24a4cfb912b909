package dev.faultline.core.fault;

import dev.faultline.core.engine.ContainerInfo;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * API kill with an explicit signal ({@code docker kill --signal}).
 *
 * <p>Docker records an API kill as a manual stop: it does <strong>not</strong> apply the restart
 * policy, whatever it is, so a container killed this way stays down. To test restart behaviour
 * use {@link CrashFault}. One-shot: closing the injection does nothing.
 */
public record KillFault(Targeting targeting, Signal signal) implements PerContainerFaultSupport {

    public KillFault {
        Objects.requireNonNull(targeting, "targeting");
        Signal.checked(signal);
    }

    public static KillFault of(String service, Signal signal) {
        return new KillFault(Targeting.all(service), signal);
    }

    public KillFault index(int index) {
        return new KillFault(targeting.index(index), signal);
    }

    public KillFault limit(int max) {
        return new KillFault(targeting.limit(max), signal);
    }

    @Override
    public String kind() {
        return "kill";
    }

    @Override
    public String describe() {
        return "API kill " + targeting + " with SIG" + signal + " (a manual stop: Docker does not restart it)";
    }

    @Override
    public Injection injectOne(FaultContext context, ContainerInfo listed) {
        ContainerInfo c = context.engine().inspect(listed.id());
        Instant at = Instant.now();
        context.engine().kill(c.id(), signal.name());
        return SimpleInjection.oneShot("API kill of " + c.name() + " with SIG" + signal
                + "; Docker treats it as a manual stop and does not apply restart policy '" + c.restartPolicy() + "'",
                List.of(c.name()), at).measuredBy(() -> Lifecycles.death(context.engine(), c, kind(), Lifecycles.DEATH_WAIT));
    }
}
