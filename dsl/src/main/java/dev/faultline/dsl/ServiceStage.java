package dev.faultline.dsl;

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

    /** Restarts the containers through the API (stop, then start). */
    FaultStage restart();

    /** Stops the containers through the API; reverted by starting them. Docker does not restart a stopped container. */
    FaultStage stop();

    /** Freezes every process of the containers; reverted by unfreezing them. */
    FaultStage pause();

    /** Kills through the Docker API with {@code signal}: Docker treats it as a manual stop and never restarts it. */
    FaultStage killWithApi(String signal);

    /** Sends {@code signal} to a process matched by {@code processPattern} inside the container (one, at random). */
    FaultStage signal(String signal, String processPattern);

    /** Sends {@code signal} to every process matched by {@code processPattern} inside the container. */
    FaultStage signalAll(String signal, String processPattern);

    /** {@code burners} CPU burners charged to the container's own cgroup. */
    FaultStage stressCpu(int burners);

    /** Lowers the container's CPU quota to {@code cpus} (e.g. 0.1); reverted by restoring it. */
    FaultStage cpuQuota(double cpus);

    /** Delays traffic from this service by {@code latency}; name the destination with {@link DelayStage#to}. */
    DelayStage delay(Duration latency);
}
