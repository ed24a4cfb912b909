package dev.faultline.dsl;

import dev.faultline.core.engine.docker.Engines;
import dev.faultline.core.helper.HelperImage;
import dev.faultline.core.swarm.SwarmEngine;

import dev.faultline.core.status.StackStatus;
import java.time.Duration;

/**
 * Where every experiment starts.
 * <pre>{@code
 * Chaos.on("web").kill().expect(health(200)).within(Duration.ofSeconds(30));
 * Chaos.project("shop").healthUrl("http://localhost:9000/healthz").on("api").restart()...
 * }</pre>
 * Without {@link #project}, the project is FAULTLINE_PROJECT or the one Compose would use in the
 * working folder, and the health URL is FAULTLINE_URL or the demo's.
 */
public final class Chaos {

    private Chaos() {}

    /**
     * Gets ready for experiments, outside any experiment's timing: builds the helper image the faults run
     * their tools in (iptables, ss, stress) on the engine at DOCKER_HOST or the local socket, unless it is
     * there already (then this takes milliseconds). Without it, the first fault of a fresh machine builds
     * the image itself, which took 22 s of the seed's first experiment. {@code make demo} and
     * {@code scripts/prepare.jsh} call this.
     *
     * @return the helper image's tag
     * @throws dev.faultline.core.engine.NoEngineException when no engine answers
     */
    public static String prepare() {
        return HelperImage.fromSystemProperties().ensure(Engines.docker());
    }

    /** The project found from the environment, as Compose finds it. */
    public static Project project() {
        return Project.from(dev.faultline.core.cli.Settings.fromEnvironment());
    }

    /** The Compose project named {@code name}. */
    public static Project project(String name) {
        return Project.named(name, dev.faultline.core.cli.Settings.fromEnvironment());
    }

    /**
     * The stack {@code stack} on a Docker Swarm, whose manager is FAULTLINE_SWARM (e.g. {@code tcp://10.0.0.5:2375});
     * each node's engine is reached at its swarm address on FAULTLINE_SWARM_NODE_PORT (default 2375), and
     * FAULTLINE_SWARM_MACHINES ({@code hostname=container ...}) says which local containers are the nodes, when
     * they are (the test swarm of tools/swarm/up.sh). The same verbs as for Compose, plus the swarm's own:
     * {@code Chaos.stack("shop").on("web").kill()}, {@code .on("db").drainItsNode()}, {@code .on("web").scaleTo(1)}.
     */
    public static Project stack(String stack) {
        return Project.swarmFrom(Args.stack(stack), dev.faultline.core.cli.Settings.fromEnvironment());
    }

    /** The stack {@code stack} on the swarm that {@code swarm} reaches. */
    public static Project stack(String stack, SwarmEngine swarm) {
        return Project.swarm(Args.stack(stack), swarm, dev.faultline.core.cli.Settings.fromEnvironment());
    }

    /** A service of the default project; its only exits are fault verbs. */
    public static ServiceStage on(String service) {
        return project().on(service);
    }

    /** A full experiment against the default project. */
    public static ExperimentStage experiment(String name) {
        return project().experiment(name);
    }

    /** The default project's status. */
    public static StackStatus status() {
        return project().status();
    }

    /** When a fault starts, counted from the start of observation. */
    public static At at(Duration offset) {
        return new At(offset);
    }

    /** How long a fault lasts before it is reverted. */
    public static Lasting lasting(Duration duration) {
        return new Lasting(duration);
    }
}
