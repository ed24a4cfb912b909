package dev.faultline.dsl;

import dev.faultline.core.fault.DatabaseLogin;
import dev.faultline.core.fault.Signal;
import java.time.Duration;

/**
 * A service picked with {@code Chaos.on("web")}; its only exits are the fault verbs. Each verb
 * validates its arguments at once and returns a {@link FaultStage}.
 */
public sealed interface ServiceStage permits ServiceStep {

    /**
     * Crashes the service's main process the way a real crash does (SIGKILL from outside its
     * container), so Docker applies the restart policy: this is what tests restart behaviour.
     */
    FaultStage kill();

    /**
     * Crashes one container of the service (the first by number; on a swarm, the task in the lowest slot), the
     * way {@link #kill()} does: with replicas, whether the others keep serving is what this tests.
     */
    FaultStage killOne();

    /** Restarts the containers through the API (stop, then start). */
    FaultStage restart();

    /** Stops the containers through the API; reverted by starting them. Docker does not restart a stopped container. */
    FaultStage stop();

    /** Freezes every process of the containers; reverted by unfreezing them. */
    FaultStage pause();

    /** Kills through the Docker API with {@code signal}: Docker treats it as a manual stop and never restarts it. */
    FaultStage killWithApi(Signal signal);

    /**
     * Sends {@code signal} to a process matched by {@code processPattern} (an extended regular expression over
     * full command lines) inside the container (one, at random).
     */
    FaultStage signal(Signal signal, String processPattern);

    /** Sends {@code signal} to every process matched by {@code processPattern} inside the container. */
    FaultStage signalAll(Signal signal, String processPattern);

    /** {@code burners} CPU burners charged to the container's own cgroup. */
    FaultStage stressCpu(int burners);

    /** Lowers the container's CPU quota to {@code cpus} (e.g. 0.1); reverted by restoring it. */
    FaultStage cpuQuota(double cpus);

    /** Delays traffic from this service by {@code latency}; name the destination with {@link DelayStage#to}. */
    DelayStage delay(Duration latency);

    /** Drops {@code probability} (0-1] of the packets this service sends anywhere but loopback. */
    FaultStage dropPackets(double probability);

    /** Drops {@code probability} (0-1] of the packets this service sends to {@code destination}'s {@code port}. */
    FaultStage dropPackets(double probability, String destination, int port);

    /** Cuts the network between this service and {@code other}, both ways: packets dropped, callers hang. */
    FaultStage partitionFrom(String other);

    /** TCP to {@code destination}'s {@code port} disappears: connects and requests hang until their timeouts. */
    FaultStage blackhole(String destination, int port);

    /** What this service sends (its egress) is shaped to {@code bitsPerSecond} (tc tbf). */
    FaultStage limitBandwidth(long bitsPerSecond);

    /** Name resolution fails inside the service: DNS answers are dropped, so lookups time out. */
    FaultStage breakDns();

    /** Connections from this service to {@code destination}'s {@code port} are reset as soon as they open. */
    FaultStage resetConnections(String destination, int port);

    /** Connections from this service to {@code destination}'s {@code port} open, but nothing goes through either way. */
    FaultStage hangConnections(String destination, int port);

    /**
     * This service being PostgreSQL (port 5432): idle connections are held until it refuses more,
     * so the application's new connections fail. Log in with {@code DatabaseLogin.of(database, user, password)};
     * the password never appears in a report.
     */
    FaultStage exhaustConnections(DatabaseLogin login);

    /** Holds {@code bytes} of memory charged to the service's own memory limit (required). */
    FaultStage stressMemory(long bytes);

    /** Allocates past the service's memory limit (required) until the kernel OOM-kills its main process. */
    FaultStage oomKill();

    /** Fills the filesystem holding {@code path} in the service until {@code percent} of it is used (at most 1 GiB written). */
    FaultStage fillDisk(String path, int percent);

    /** SIGKILL to one Gunicorn worker (a gunicorn process that is not PID 1); the master forks a new one. */
    FaultStage killWorker();

    /**
     * SIGKILL to every Gunicorn worker at once (every gunicorn process that is not PID 1); the master forks new ones,
     * each of which must open its own database connections again.
     */
    FaultStage killWorkers();

    // ---- a swarm stack's own verbs (Chaos.stack): refused before anything is touched on a Compose project

    /** Scales the swarm service to {@code replicas} (0 to 1000); reverted by scaling it back. */
    FaultStage scaleTo(int replicas);

    /** Drains the swarm node running the service's first task, as for maintenance; reverted by making it active. */
    FaultStage drainItsNode();

    /**
     * Freezes the engine of the node running the service's first task (its container is paused: the node is a
     * container on this machine), so the manager loses the node; reverted by unpausing it.
     */
    FaultStage pauseItsNode();

    /** Stops the node running the service's first task with everything on it, as a power loss; reverted by starting it. */
    FaultStage stopItsNode();
}
