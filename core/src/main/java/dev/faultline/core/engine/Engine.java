package dev.faultline.core.engine;

import java.io.Closeable;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What faultline needs from a container engine, in faultline's own types.
 *
 * <p>The Docker implementation ({@code dev.faultline.core.engine.docker}) is the only code that
 * imports docker-java; everything else talks to this interface, so that a Swarm backend can
 * follow and tests can use a fake. Every call is bounded in time: an engine that does not
 * answer raises {@link EngineException} instead of hanging an experiment (and its revert).
 */
public interface Engine {

    /** Version, API version and endpoint of the engine; also proves it is reachable. */
    EngineInfo info();

    /** Cheapest liveness check (about 0.3 ms locally). */
    void ping();

    /** Containers carrying every given label ({@code value == null} means "label present"). */
    List<ContainerInfo> containers(Map<String, String> labels, boolean includeStopped);

    ContainerInfo inspect(String containerId);

    /** API kill: Docker treats it as a manual stop and does NOT apply the restart policy. */
    void kill(String containerId, String signal);

    void stop(String containerId, Duration timeout);

    void start(String containerId);

    void restart(String containerId, Duration timeout);

    void pause(String containerId);

    void unpause(String containerId);

    /** Runs a command in a running container, waiting at most {@code timeout}. */
    ExecResult exec(String containerId, List<String> command, Duration timeout);

    boolean imageExists(String reference);

    /** Builds an image from a folder holding a Dockerfile. */
    void buildImage(Path contextDir, String tag, Map<String, String> buildArgs, Duration timeout);

    /** Creates and starts a helper container; returns its id. */
    String run(HelperSpec spec);

    /** Waits for a container to exit; empty when it still runs after {@code timeout}. */
    Optional<Integer> waitForExit(String containerId, Duration timeout);

    /** Removes a container; a missing one is not an error (removal must be idempotent). */
    void remove(String containerId, boolean force);

    /** Timestamped log lines (stdout and stderr) between two instants. */
    List<LogLine> logs(String containerId, Instant since, Instant until);

    /** Streams container events for containers with these labels until closed. */
    Closeable events(Map<String, String> labels, Consumer<EngineEvent> listener);

    /** One sample of CPU and memory use. */
    ResourceUsage stats(String containerId);

    /** Sets the CFS quota and period (microseconds); quota {@code -1} or {@code 0} removes the limit. */
    void updateCpuQuota(String containerId, long quotaMicros, long periodMicros);

    /**
     * The container's memory limit in bytes, 0 when it has none. A default method so that other
     * engines keep compiling; the Docker engine implements it.
     */
    default long memoryLimit(String containerId) {
        throw new EngineException("memory limits are not supported by " + getClass().getSimpleName());
    }

    /**
     * Sets the container's memory limit in bytes, with memory+swap the same (no swap); {@code 0} removes
     * the limit. Docker cannot clear a limit once set, so "none" is the kernel's own "unlimited" value,
     * which {@link #memoryLimit} reports as 0 again.
     */
    default void updateMemoryLimit(String containerId, long bytes) {
        throw new EngineException("memory limits are not supported by " + getClass().getSimpleName());
    }

    /**
     * The address at which a container reaches this JVM, for the listeners of faultline's own that the
     * container's traffic is sent to (the TCP proxy of the proxy faults and its helper's lifeline). Empty means
     * the container's default gateway: its bridge's address on an engine of this machine (Docker, Compose).
     * An engine whose containers reach this JVM elsewhere (a swarm task on a node) answers that address, or
     * throws {@link EngineException} saying why the container cannot reach this JVM at all.
     */
    default Optional<InetAddress> jvmAddressFor(String containerId) {
        return Optional.empty();
    }

    // ---- Docker Swarm: what a manager answers. Default methods, so that engines without a swarm keep compiling.

    /**
     * Where a small container next to this run (the reaper) reaches the swarm manager's API over plain HTTP,
     * e.g. {@code http://10.0.0.5:2375}; empty when it cannot (a unix socket, TLS, or no swarm).
     */
    default String swarmApi() {
        return "";
    }

    /** The swarm's nodes; only a manager knows them. */
    default List<SwarmNode> swarmNodes() {
        throw new EngineException("swarm calls are not supported by " + getClass().getSimpleName());
    }

    /** Services carrying every given label ({@code value == null} means "label present"). */
    default List<SwarmService> swarmServices(Map<String, String> labels) {
        throw new EngineException("swarm calls are not supported by " + getClass().getSimpleName());
    }

    /** Every task of one service (by id or name), replaced ones included, oldest first. */
    default List<SwarmTask> swarmTasks(String service) {
        throw new EngineException("swarm calls are not supported by " + getClass().getSimpleName());
    }

    /** Sets a node's availability, keeping the rest of its spec as it is. */
    default void updateNodeAvailability(String nodeId, NodeAvailability availability) {
        throw new EngineException("swarm calls are not supported by " + getClass().getSimpleName());
    }

    /** Sets a replicated service's desired replicas, keeping the rest of its spec exactly as it is. */
    default void scaleService(String serviceId, int replicas) {
        throw new EngineException("swarm calls are not supported by " + getClass().getSimpleName());
    }
}
