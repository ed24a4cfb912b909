package dev.faultline.core.engine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.StreamType;
import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.EngineEvent;
import dev.faultline.core.engine.EngineException;
import dev.faultline.core.engine.EngineInfo;
import dev.faultline.core.engine.ExecResult;
import dev.faultline.core.engine.HelperSpec;
import dev.faultline.core.engine.LogLine;
import dev.faultline.core.engine.NoEngineException;
import dev.faultline.core.engine.ResourceUsage;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Engine} over the Docker Engine API through docker-java (zerodep transport): the only
 * class path entry point to docker-java in faultline. This class is the adapter calls, one per
 * {@link Engine} method; each concern under them has its own class in this package:
 * <ul>
 *   <li>{@link DockerConnection}: finding the engine, API version negotiation, the two clients;</li>
 *   <li>{@link DockerCalls}: time bounds and error translation for every call;</li>
 *   <li>{@link DockerEventStream}: the self-renewing events subscription;</li>
 *   <li>{@link DockerStats}: CPU and memory arithmetic from the stats stream;</li>
 *   <li>{@link DockerLogs}: log lines and their timestamps;</li>
 *   <li>{@link DockerMapping}: docker-java's answers to faultline's engine types.</li>
 * </ul>
 * Over 400 lines on purpose: one short adapter call per {@link Engine} method (about thirty, swarm
 * included), nothing else; a new concern under the calls gets a class of its own.
 */
public final class DockerEngine implements Engine {

    private static final Logger log = LoggerFactory.getLogger(DockerEngine.class);

    /** Extra time over a stop/restart grace period for the engine's own work. */
    private static final Duration ENGINE_SLACK = Duration.ofSeconds(30);

    private final String endpoint;
    private final DockerClient quick;
    private final DockerClient streaming;
    private final EngineInfo info;
    private final DockerCalls calls;
    private final DockerSwarmApi swarm;

    private DockerEngine(DockerConnection connection) {
        this.endpoint = connection.endpoint;
        this.quick = connection.quick;
        this.streaming = connection.streaming;
        this.info = connection.info;
        this.calls = new DockerCalls(endpoint);
        this.swarm = new DockerSwarmApi(java.net.URI.create(endpoint), info.apiVersion(), endpoint);
        log.debug("Docker {} at {}, API pinned to {}", info.version(), endpoint, info.apiVersion());
    }

    /**
     * Connects to the engine at an endpoint such as {@code unix:///var/run/docker.sock} or
     * {@code tcp://127.0.0.1:2375}.
     *
     * @throws NoEngineException when nothing answers there
     */
    public static DockerEngine connect(String endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        return new DockerEngine(DockerConnection.open(endpoint));
    }

    /** Connects to {@code DOCKER_HOST} from the given environment, or the local socket. */
    public static DockerEngine fromEnvironment(Map<String, String> environment) {
        String host = environment.get("DOCKER_HOST");
        return connect(host == null || host.isBlank() ? DockerConnection.DEFAULT_ENDPOINT : host.trim());
    }

    @Override
    public EngineInfo info() {
        ping();
        return info;
    }

    @Override
    public void ping() {
        calls.call("ping", () -> quick.pingCmd().exec());
    }

    @Override
    public List<ContainerInfo> containers(Map<String, String> labels, boolean includeStopped) {
        List<String> filter = new ArrayList<>();
        labels.forEach((k, v) -> filter.add(v == null ? k : k + "=" + v));
        var list = calls.call("list containers with labels " + labels, () -> {
            var cmd = quick.listContainersCmd().withShowAll(includeStopped);
            if (!filter.isEmpty()) {
                cmd = cmd.withLabelFilter(filter);
            }
            return cmd.exec();
        });
        List<ContainerInfo> result = new ArrayList<>();
        for (var summary : list) {
            try {
                result.add(DockerMapping.toInfo(quick.inspectContainerCmd(summary.getId()).exec()));
            } catch (NotFoundException gone) {
                // Removed between list and inspect (a helper with autoRemove, a compose down): not there any more.
            } catch (RuntimeException e) {
                throw calls.wrap("inspect container " + summary.getId(), e);
            }
        }
        result.sort(Comparator.comparing(ContainerInfo::service).thenComparingInt(ContainerInfo::number)
                .thenComparing(ContainerInfo::name));
        return List.copyOf(result);
    }

    @Override
    public ContainerInfo inspect(String containerId) {
        return DockerMapping.toInfo(calls.call("inspect container " + containerId, () -> quick.inspectContainerCmd(containerId).exec()));
    }

    @Override
    public void kill(String containerId, String signal) {
        calls.call("kill container " + containerId + " with " + signal,
                () -> quick.killContainerCmd(containerId).withSignal(signal).exec());
    }

    @Override
    public void stop(String containerId, Duration timeout) {
        calls.bounded("stop container " + containerId, timeout.plus(ENGINE_SLACK), () -> {
            try {
                streaming.stopContainerCmd(containerId).withTimeout(seconds(timeout)).exec();
            } catch (NotModifiedException alreadyStopped) {
                // 304: already stopped, which is what was asked.
            }
            return null;
        });
    }

    @Override
    public void start(String containerId) {
        calls.call("start container " + containerId, () -> {
            try {
                quick.startContainerCmd(containerId).exec();
            } catch (NotModifiedException alreadyRunning) {
                // 304: already running.
            }
            return null;
        });
    }

    @Override
    public void restart(String containerId, Duration timeout) {
        calls.bounded("restart container " + containerId, timeout.plus(ENGINE_SLACK), () ->
                streaming.restartContainerCmd(containerId).withTimeout(seconds(timeout)).exec());
    }

    @Override
    public void pause(String containerId) {
        calls.call("pause container " + containerId, () -> quick.pauseContainerCmd(containerId).exec());
    }

    @Override
    public void unpause(String containerId) {
        calls.call("unpause container " + containerId, () -> quick.unpauseContainerCmd(containerId).exec());
    }

    @Override
    public ExecResult exec(String containerId, List<String> command, Duration timeout) {
        String what = "exec " + command + " in container " + containerId;
        String execId = calls.call(what, () -> quick.execCreateCmd(containerId)
                .withCmd(command.toArray(String[]::new))
                .withAttachStdout(true)
                .withAttachStderr(true)
                .exec()
                .getId());
        // bytes, decoded once at the end: a frame can end inside a multi-byte UTF-8 character
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                synchronized (out) {
                    (frame.getStreamType() == StreamType.STDERR ? err : out).writeBytes(frame.getPayload());
                }
            }
        };
        long deadline = System.nanoTime() + timeout.toNanos();
        return calls.streamed(what, callback, () -> {
            streaming.execStartCmd(execId).exec(callback);
            // A timed wait: exec streams are known to never complete on some engines (docker-java #2217).
            if (!callback.awaitCompletion(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new EngineException(what + " did not finish within " + timeout + " (it may still run)");
            }
            // The stream can end a moment before the engine records the exit code.
            InspectExecResponse inspected = quick.inspectExecCmd(execId).exec();
            while (inspected.isRunning() && System.nanoTime() < deadline) {
                Thread.sleep(5);
                inspected = quick.inspectExecCmd(execId).exec();
            }
            Long code = inspected.getExitCodeLong();
            synchronized (out) {
                return new ExecResult(code == null ? -1 : code.intValue(), out.toString(StandardCharsets.UTF_8),
                        err.toString(StandardCharsets.UTF_8));
            }
        });
    }

    @Override
    public boolean imageExists(String reference) {
        try {
            quick.inspectImageCmd(reference).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (RuntimeException e) {
            throw calls.wrap("inspect image " + reference, e);
        }
    }

    @Override
    public void buildImage(Path contextDir, String tag, Map<String, String> buildArgs, Duration timeout) {
        String what = "build image " + tag + " from " + contextDir;
        if (!Files.isRegularFile(contextDir.resolve("Dockerfile"))) {
            throw new EngineException(what + ": no Dockerfile in " + contextDir.toAbsolutePath());
        }
        // docker-java tars the folder itself (honouring .dockerignore) and streams it to the engine.
        var cmd = streaming.buildImageCmd(contextDir.toFile())
                .withTags(new HashSet<>(List.of(tag)))
                .withPull(false)
                .withRemove(true);
        buildArgs.forEach(cmd::withBuildArg);
        BuildImageResultCallback callback = cmd.exec(new BuildImageResultCallback());
        try {
            callback.awaitImageId(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            throw calls.wrap(what + " (timeout " + timeout + ")", e);
        } finally {
            DockerCalls.closeQuietly(callback);
        }
    }

    @Override
    public String run(HelperSpec spec) {
        String what = "run helper " + (spec.name() == null ? spec.image() : spec.name());
        HostConfig host = HostConfig.newHostConfig().withAutoRemove(spec.autoRemove()).withPrivileged(spec.privileged());
        if (spec.pidMode() != null) host.withPidMode(spec.pidMode());
        if (spec.networkMode() != null) host.withNetworkMode(spec.networkMode());
        if (spec.cgroupParent() != null) host.withCgroupParent(spec.cgroupParent());
        if (!spec.capAdd().isEmpty()) {
            host.withCapAdd(spec.capAdd().stream().map(DockerEngine::capability).toArray(Capability[]::new));
        }
        if (!spec.binds().isEmpty()) {
            host.withBinds(spec.binds().stream().map(Bind::parse).toArray(Bind[]::new));
        }
        CreateContainerResponse created = calls.call(what, () -> {
            var cmd = quick.createContainerCmd(spec.image()).withLabels(spec.labels()).withHostConfig(host);
            if (!spec.command().isEmpty()) cmd.withCmd(spec.command());
            if (spec.name() != null) cmd.withName(spec.name());
            return cmd.exec();
        });
        try {
            quick.startContainerCmd(created.getId()).exec();
        } catch (RuntimeException e) {
            // Never leave a created-but-not-started helper behind.
            remove(created.getId(), true);
            throw calls.wrap(what + " (start)", e);
        }
        return created.getId();
    }

    private static Capability capability(String name) {
        try {
            return Capability.valueOf(name.toUpperCase(Locale.ROOT).replaceFirst("^CAP_", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("capAdd must name Linux capabilities such as NET_ADMIN or SYS_ADMIN, got '" + name + "'", e);
        }
    }

    @Override
    public Optional<Integer> waitForExit(String containerId, Duration timeout) {
        WaitContainerResultCallback callback = streaming.waitContainerCmd(containerId).exec(new WaitContainerResultCallback());
        try {
            return Optional.of(callback.awaitStatusCode(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (NotFoundException e) {
            throw new EngineException("wait for container " + containerId + ": no such container", e);
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).contains("timeout")) {
                return Optional.empty();
            }
            throw calls.wrap("wait for container " + containerId, e);
        } finally {
            DockerCalls.closeQuietly(callback);
        }
    }

    @Override
    public void remove(String containerId, boolean force) {
        try {
            quick.removeContainerCmd(containerId).withForce(force).withRemoveVolumes(true).exec();
        } catch (NotFoundException gone) {
            // Idempotent: already removed (or auto-removed).
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).contains("is already in progress")) {
                return; // autoRemove racing us: it is going away
            }
            throw calls.wrap("remove container " + containerId, e);
        }
    }

    @Override
    public List<LogLine> logs(String containerId, Instant since, Instant until) {
        return DockerLogs.read(streaming, calls, containerId, since, until);
    }

    @Override
    public Closeable events(Map<String, String> labels, Consumer<EngineEvent> listener) {
        return events(labels, listener, DockerEventStream.EVENT_RENEWAL);
    }

    /** As {@link #events(Map, Consumer)} with a chosen renewal period (tests renew often). */
    Closeable events(Map<String, String> labels, Consumer<EngineEvent> listener, Duration renewal) {
        return new DockerEventStream(streaming, labels, listener, renewal).start();
    }

    @Override
    public ResourceUsage stats(String containerId) {
        ContainerInfo container = inspect(containerId);
        if (!container.running()) {
            // The stats stream of a stopped container never sends a sample (docker-java #1074).
            return new ResourceUsage(Instant.now(), containerId, 0, 0, 0);
        }
        return DockerStats.sample(streaming, calls, containerId);
    }

    @Override
    public void updateCpuQuota(String containerId, long quotaMicros, long periodMicros) {
        long quota = quotaMicros <= 0 ? -1 : quotaMicros;
        calls.call("update CPU quota of container " + containerId + " to " + quota + "/" + periodMicros + " us", () -> {
            var cmd = quick.updateContainerCmd(containerId).withCpuQuota(quota);
            if (periodMicros > 0) cmd.withCpuPeriod(periodMicros);
            return cmd.exec();
        });
    }

    /**
     * What cgroup v1 reports (and accepts) as "no limit": PAGE_COUNTER_MAX pages of 4 KiB. Docker's
     * API rejects negative limits and takes 0 as "unchanged", so removing a limit writes this instead
     * (as does the reaper's script, {@code safety.Reaper}, which cannot import this package).
     */
    public static final long UNLIMITED_MEMORY = 9223372036854771712L;

    @Override
    public long memoryLimit(String containerId) {
        var c = calls.call("inspect container " + containerId, () -> quick.inspectContainerCmd(containerId).exec());
        Long memory = c.getHostConfig() == null ? null : c.getHostConfig().getMemory();
        return memory == null || memory <= 0 || memory >= UNLIMITED_MEMORY ? 0 : memory;
    }

    @Override
    public void updateMemoryLimit(String containerId, long bytes) {
        long limit = bytes <= 0 ? UNLIMITED_MEMORY : bytes;
        // memory+swap equal to memory: no swap; runc orders the two writes so that raising and lowering both work
        calls.call("update memory limit of container " + containerId + " to " + limit + " bytes",
                () -> quick.updateContainerCmd(containerId).withMemory(limit).withMemorySwap(limit).exec());
    }

    private static int seconds(Duration d) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, (d.toMillis() + 999) / 1000));
    }

    // ---- swarm: raw JSON, see DockerSwarmApi for why

    /** This engine's own endpoint when it is plain TCP: {@code tcp://10.0.0.5:2375} is {@code http://10.0.0.5:2375}. */
    @Override
    public String swarmApi() {
        java.net.URI uri = java.net.URI.create(endpoint);
        return ("tcp".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getPort() > 0
                ? "http://" + uri.getHost() + ":" + uri.getPort() : "";
    }

    @Override
    public List<dev.faultline.core.engine.SwarmNode> swarmNodes() {
        return swarm.nodes();
    }

    @Override
    public List<dev.faultline.core.engine.SwarmService> swarmServices(Map<String, String> labels) {
        return swarm.services(labels);
    }

    @Override
    public List<dev.faultline.core.engine.SwarmTask> swarmTasks(String service) {
        return swarm.tasks(service);
    }

    @Override
    public void updateNodeAvailability(String nodeId, dev.faultline.core.engine.NodeAvailability availability) {
        swarm.updateNodeAvailability(nodeId, availability);
    }

    @Override
    public void scaleService(String serviceId, int replicas) {
        swarm.scaleService(serviceId, replicas);
    }

    @Override
    public String toString() {
        return "DockerEngine[" + endpoint + ", Docker " + info.version() + ", API " + info.apiVersion() + "]";
    }
}
