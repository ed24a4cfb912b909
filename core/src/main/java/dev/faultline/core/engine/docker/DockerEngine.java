package dev.faultline.core.engine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ContainerState;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.EngineEvent;
import dev.faultline.core.engine.EngineException;
import dev.faultline.core.engine.EngineInfo;
import dev.faultline.core.engine.ExecResult;
import dev.faultline.core.engine.Health;
import dev.faultline.core.engine.HelperSpec;
import dev.faultline.core.engine.LogLine;
import dev.faultline.core.engine.NoEngineException;
import dev.faultline.core.engine.PublishedPort;
import dev.faultline.core.engine.ResourceUsage;
import dev.faultline.core.engine.RestartPolicy;
import java.io.Closeable;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Engine} over the Docker Engine API through docker-java (zerodep transport): the only
 * class path entry point to docker-java in faultline.
 *
 * <p>docker-java does not negotiate the API version, and engines disagree on what they accept
 * (20.10 tops out at 1.41, Docker 29 refuses anything below 1.44). So the constructor asks
 * {@code /version} on an unversioned connection and pins {@code min(engine, docker-java)}.
 *
 * <p>Two clients: one for quick calls with a response timeout, one without it for calls that
 * legitimately stay open (events, stats, exec output, builds, waits), each bounded by a timed
 * await instead. Separate clients also keep a long stream from blocking short calls.
 */
public final class DockerEngine implements Engine {

    private static final Logger log = LoggerFactory.getLogger(DockerEngine.class);

    /** The newest API version docker-java 3.7.1 models. */
    static final RemoteApiVersion HIGHEST_SUPPORTED = RemoteApiVersion.VERSION_1_44;
    static final String DEFAULT_ENDPOINT = "unix:///var/run/docker.sock";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    /** Extra time over a stop/restart grace period for the engine's own work. */
    private static final Duration ENGINE_SLACK = Duration.ofSeconds(30);
    private static final Duration STATS_TIMEOUT = Duration.ofSeconds(10);
    /** Event streams are renewed this often, in case one went silent without ending. */
    static final Duration EVENT_RENEWAL = Duration.ofMinutes(5);
    private static final String FIX = "start it: sudo tools/engine-up.sh, or set DOCKER_HOST to a running engine";

    private final String endpoint;
    private final DockerClient quick;
    private final DockerClient streaming;
    private final EngineInfo info;
    private final DockerSwarmApi swarm;

    private DockerEngine(String endpoint) {
        this.endpoint = endpoint;
        URI uri = parseEndpoint(endpoint);
        if ("unix".equals(uri.getScheme()) && !Files.exists(Path.of(uri.getPath()))) {
            throw new NoEngineException("No Docker engine at " + endpoint + ": the socket " + uri.getPath()
                    + " does not exist; " + FIX, null);
        }
        Version version;
        RemoteApiVersion pinned;
        try {
            DockerClient probe = client(uri, RemoteApiVersion.UNKNOWN_VERSION, RESPONSE_TIMEOUT);
            version = probe.versionCmd().exec();
            closeQuietly(probe);
            pinned = negotiate(version.getApiVersion(), version.getMinAPIVersion());
        } catch (RuntimeException e) {
            throw new NoEngineException("No Docker engine answered at " + endpoint + " (GET /version failed: "
                    + describe(e) + "); " + FIX, e);
        }
        this.quick = client(uri, pinned, RESPONSE_TIMEOUT);
        this.streaming = client(uri, pinned, null);
        this.info = new EngineInfo(version.getVersion(), pinned.getVersion(), endpoint,
                version.getOperatingSystem(), version.getKernelVersion(), isLocal(uri));
        this.swarm = new DockerSwarmApi(uri, pinned.getVersion(), endpoint);
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
        return new DockerEngine(endpoint);
    }

    /** Connects to {@code DOCKER_HOST} from the given environment, or the local socket. */
    public static DockerEngine fromEnvironment(Map<String, String> environment) {
        String host = environment.get("DOCKER_HOST");
        return connect(host == null || host.isBlank() ? DEFAULT_ENDPOINT : host.trim());
    }

    /** min(engine's API version, the highest docker-java speaks), never below the engine's minimum. */
    static RemoteApiVersion negotiate(String engineApi, String engineMinApi) {
        RemoteApiVersion server = RemoteApiVersion.parseConfig(engineApi);
        RemoteApiVersion chosen = server.isGreater(HIGHEST_SUPPORTED) ? HIGHEST_SUPPORTED : server;
        if (engineMinApi != null && !engineMinApi.isBlank()) {
            RemoteApiVersion min = RemoteApiVersion.parseConfig(engineMinApi);
            if (min.isGreater(chosen)) {
                chosen = min;
            }
        }
        return chosen;
    }

    private static URI parseEndpoint(String endpoint) {
        try {
            URI uri = URI.create(endpoint);
            if (uri.getScheme() == null || !List.of("unix", "tcp", "http", "https", "npipe").contains(uri.getScheme())) {
                throw new IllegalArgumentException("scheme must be unix, tcp, http, https or npipe");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new NoEngineException("Cannot use Docker endpoint '" + endpoint + "': " + e.getMessage()
                    + "; expected e.g. unix:///var/run/docker.sock or tcp://127.0.0.1:2375", e);
        }
    }

    static boolean isLocal(URI uri) {
        if ("unix".equals(uri.getScheme()) || "npipe".equals(uri.getScheme())) {
            return true;
        }
        String host = uri.getHost();
        if (host == null || host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (Exception e) {
            return false;
        }
    }

    private static DockerClient client(URI uri, RemoteApiVersion api, Duration responseTimeout) {
        DefaultDockerClientConfig.Builder config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(uri.toString());
        if (api != RemoteApiVersion.UNKNOWN_VERSION) {
            config.withApiVersion(api);
        }
        DefaultDockerClientConfig built = config.build();
        ZerodepDockerHttpClient.Builder http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(built.getDockerHost())
                .sslConfig(built.getSSLConfig())
                .maxConnections(64)
                .connectionTimeout(CONNECT_TIMEOUT);
        if (responseTimeout != null) {
            http.responseTimeout(responseTimeout);
        }
        DockerHttpClient httpClient = http.build();
        return DockerClientImpl.getInstance(built, httpClient);
    }

    @Override
    public EngineInfo info() {
        ping();
        return info;
    }

    @Override
    public void ping() {
        call("ping", () -> quick.pingCmd().exec());
    }

    @Override
    public List<ContainerInfo> containers(Map<String, String> labels, boolean includeStopped) {
        List<String> filter = new ArrayList<>();
        labels.forEach((k, v) -> filter.add(v == null ? k : k + "=" + v));
        var list = call("list containers with labels " + labels, () -> {
            var cmd = quick.listContainersCmd().withShowAll(includeStopped);
            if (!filter.isEmpty()) {
                cmd = cmd.withLabelFilter(filter);
            }
            return cmd.exec();
        });
        List<ContainerInfo> result = new ArrayList<>();
        for (var summary : list) {
            try {
                result.add(toInfo(quick.inspectContainerCmd(summary.getId()).exec()));
            } catch (NotFoundException gone) {
                // Removed between list and inspect (a helper with autoRemove, a compose down): not there any more.
            } catch (RuntimeException e) {
                throw wrap("inspect container " + summary.getId(), e);
            }
        }
        result.sort(Comparator.comparing(ContainerInfo::service).thenComparingInt(ContainerInfo::number)
                .thenComparing(ContainerInfo::name));
        return List.copyOf(result);
    }

    @Override
    public ContainerInfo inspect(String containerId) {
        return toInfo(call("inspect container " + containerId, () -> quick.inspectContainerCmd(containerId).exec()));
    }

    @Override
    public void kill(String containerId, String signal) {
        call("kill container " + containerId + " with " + signal,
                () -> quick.killContainerCmd(containerId).withSignal(signal).exec());
    }

    @Override
    public void stop(String containerId, Duration timeout) {
        bounded("stop container " + containerId, timeout.plus(ENGINE_SLACK), () -> {
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
        call("start container " + containerId, () -> {
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
        bounded("restart container " + containerId, timeout.plus(ENGINE_SLACK), () ->
                streaming.restartContainerCmd(containerId).withTimeout(seconds(timeout)).exec());
    }

    @Override
    public void pause(String containerId) {
        call("pause container " + containerId, () -> quick.pauseContainerCmd(containerId).exec());
    }

    @Override
    public void unpause(String containerId) {
        call("unpause container " + containerId, () -> quick.unpauseContainerCmd(containerId).exec());
    }

    @Override
    public ExecResult exec(String containerId, List<String> command, Duration timeout) {
        String what = "exec " + command + " in container " + containerId;
        String execId = call(what, () -> quick.execCreateCmd(containerId)
                .withCmd(command.toArray(String[]::new))
                .withAttachStdout(true)
                .withAttachStderr(true)
                .exec()
                .getId());
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
                synchronized (out) {
                    (frame.getStreamType() == StreamType.STDERR ? err : out).append(text);
                }
            }
        };
        long deadline = System.nanoTime() + timeout.toNanos();
        return streamed(what, callback, () -> {
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
                return new ExecResult(code == null ? -1 : code.intValue(), out.toString(), err.toString());
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
            throw wrap("inspect image " + reference, e);
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
            throw wrap(what + " (timeout " + timeout + ")", e);
        } finally {
            closeQuietly(callback);
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
        CreateContainerResponse created = call(what, () -> {
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
            throw wrap(what + " (start)", e);
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
            throw wrap("wait for container " + containerId, e);
        } finally {
            closeQuietly(callback);
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
            throw wrap("remove container " + containerId, e);
        }
    }

    @Override
    public List<LogLine> logs(String containerId, Instant since, Instant until) {
        String what = "logs of container " + containerId;
        List<LogLine> lines = new ArrayList<>();
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                boolean stderr = frame.getStreamType() == StreamType.STDERR;
                String payload = new String(frame.getPayload(), StandardCharsets.UTF_8);
                for (String raw : payload.split("\n")) {
                    if (raw.isEmpty()) continue;
                    LogLine line = parseLogLine(containerId, stderr, raw);
                    if (!line.time().isBefore(since) && !line.time().isAfter(until)) {
                        synchronized (lines) {
                            lines.add(line);
                        }
                    }
                }
            }
        };
        streamed(what, callback, () -> {
            // The API takes whole seconds: widen the window, then filter exactly on the line timestamps.
            streaming.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withTimestamps(true)
                    .withSince((int) since.getEpochSecond())
                    .withUntil((int) until.getEpochSecond() + 1)
                    .exec(callback);
            if (!callback.awaitCompletion(RESPONSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new EngineException(what + " did not finish within " + RESPONSE_TIMEOUT);
            }
            return null;
        });
        synchronized (lines) {
            lines.sort(Comparator.comparing(LogLine::time));
            return List.copyOf(lines);
        }
    }

    /** A line as the engine sends it with timestamps: {@code 2026-11-27T05:53:55.123456789Z text}. */
    static LogLine parseLogLine(String containerId, boolean stderr, String raw) {
        int space = raw.indexOf(' ');
        if (space > 0) {
            try {
                return new LogLine(Instant.parse(raw.substring(0, space)), containerId, stderr, stripCr(raw.substring(space + 1)));
            } catch (DateTimeParseException notATimestamp) {
                // fall through: keep the line, stamped now
            }
        }
        return new LogLine(Instant.now(), containerId, stderr, stripCr(raw));
    }

    private static String stripCr(String s) {
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public Closeable events(Map<String, String> labels, Consumer<EngineEvent> listener) {
        return events(labels, listener, EVENT_RENEWAL);
    }

    /** As {@link #events(Map, Consumer)} with a chosen renewal period (tests renew often). */
    Closeable events(Map<String, String> labels, Consumer<EngineEvent> listener, Duration renewal) {
        return new EventStream(labels, listener, renewal).start();
    }

    /**
     * An events subscription that reconnects from the last event it saw when the engine ends the
     * stream or it fails, and renews itself every {@link #EVENT_RENEWAL} because event streams are
     * known to go quiet without ending (docker-java #1369). Events replayed by a reconnect are
     * dropped by their nanosecond time.
     */
    private final class EventStream implements Closeable {
        private final List<String> filters = new ArrayList<>();
        private final Consumer<EngineEvent> listener;
        private final Object lock = new Object();
        private Closeable current;
        private int generation;
        private volatile boolean closed;
        private long lastEventSeconds = Instant.now().getEpochSecond();
        private long lastEventNanos;
        private Thread renewer;

        private final Duration renewal;

        EventStream(Map<String, String> labels, Consumer<EngineEvent> listener, Duration renewal) {
            this.renewal = renewal;
            // A key without a value filters on "label present".
            labels.forEach((k, v) -> filters.add(v == null ? k : k + "=" + v));
            this.listener = listener;
        }

        EventStream start() {
            synchronized (lock) {
                subscribe(null);
                renewer = new Thread(this::renewPeriodically, "faultline-docker-events-renewal");
                renewer.setDaemon(true);
                renewer.start();
            }
            return this;
        }

        private void renewPeriodically() {
            while (!closed) {
                try {
                    Thread.sleep(renewal.toMillis());
                } catch (InterruptedException e) {
                    return; // closed
                }
                resubscribe("renewal");
            }
        }

        /** Must hold {@link #lock}. */
        private void subscribe(String since) {
            if (closed) return;
            int mine = ++generation;
            var cmd = streaming.eventsCmd().withEventTypeFilter(EventType.CONTAINER);
            if (!filters.isEmpty()) cmd = cmd.withLabelFilter(filters.toArray(String[]::new));
            if (since != null) cmd = cmd.withSince(since);
            ResultCallback.Adapter<Event> callback = new ResultCallback.Adapter<>() {
                @Override
                public void onNext(Event event) {
                    deliver(event);
                }

                @Override
                public void onError(Throwable throwable) {
                    if (!closed && isCurrent(mine)) {
                        log.debug("event stream failed ({}); reconnecting", throwable.toString());
                        pauseBeforeReconnect();
                        resubscribe("error");
                    }
                }

                @Override
                public void onComplete() {
                    super.onComplete();
                    if (!closed && isCurrent(mine)) {
                        pauseBeforeReconnect();
                        resubscribe("end of stream");
                    }
                }
            };
            Closeable previous = current;
            current = cmd.exec(callback);
            // Close the old stream only after the new one is open, so nothing falls in between.
            closeQuietly(previous);
        }

        private boolean isCurrent(int gen) {
            synchronized (lock) {
                return gen == generation;
            }
        }

        private void resubscribe(String why) {
            synchronized (lock) {
                if (closed) return;
                try {
                    subscribe(Long.toString(lastEventSeconds));
                } catch (RuntimeException e) {
                    log.warn("event stream could not reconnect after {}: {}", why, e.toString());
                }
            }
        }

        private void pauseBeforeReconnect() {
            try {
                Thread.sleep(200); // do not spin against an engine that is going away
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void deliver(Event event) {
            EngineEvent mapped;
            synchronized (lock) {
                if (closed) return;
                long nanos = event.getTimeNano() == null ? 0 : event.getTimeNano();
                if (nanos != 0 && nanos <= lastEventNanos) return; // replayed after a reconnect
                if (nanos != 0) lastEventNanos = nanos;
                if (event.getTime() != null) lastEventSeconds = event.getTime();
                Instant time = nanos != 0
                        ? Instant.ofEpochSecond(0, nanos)
                        : Instant.ofEpochSecond(event.getTime() == null ? 0 : event.getTime());
                Map<String, String> attributes = event.getActor() == null || event.getActor().getAttributes() == null
                        ? Map.of() : Map.copyOf(event.getActor().getAttributes());
                String action = event.getAction() == null ? String.valueOf(event.getStatus()) : event.getAction();
                mapped = new EngineEvent(time, event.getId(), attributes.getOrDefault("com.docker.compose.service", ""),
                        action, attributes);
            }
            try {
                listener.accept(mapped);
            } catch (RuntimeException e) {
                log.warn("event listener threw on {}: {}", mapped.action(), e.toString());
            }
        }

        @Override
        public void close() {
            Closeable last;
            synchronized (lock) {
                if (closed) return;
                closed = true;
                last = current;
                if (renewer != null) renewer.interrupt();
            }
            closeQuietly(last);
        }
    }

    @Override
    public ResourceUsage stats(String containerId) {
        String what = "stats of container " + containerId;
        ContainerInfo container = inspect(containerId);
        if (!container.running()) {
            // The stats stream of a stopped container never sends a sample (docker-java #1074).
            return new ResourceUsage(Instant.now(), containerId, 0, 0, 0);
        }
        CountDownLatch two = new CountDownLatch(2);
        AtomicReference<Statistics> second = new AtomicReference<>();
        ResultCallback.Adapter<Statistics> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Statistics s) {
                if (two.getCount() == 1) second.compareAndSet(null, s);
                two.countDown();
            }
        };
        streamed(what, callback, () -> {
            // The first sample has no previous CPU reading; the second carries the first as precpu.
            streaming.statsCmd(containerId).exec(callback);
            if (!two.await(STATS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new EngineException(what + ": no two samples within " + STATS_TIMEOUT);
            }
            return null;
        });
        return toUsage(containerId, second.get());
    }

    static ResourceUsage toUsage(String containerId, Statistics s) {
        double cpu = 0;
        var now = s.getCpuStats();
        var pre = s.getPreCpuStats();
        if (now != null && pre != null && now.getCpuUsage() != null && pre.getCpuUsage() != null
                && now.getSystemCpuUsage() != null && pre.getSystemCpuUsage() != null) {
            long cpuDelta = now.getCpuUsage().getTotalUsage() - pre.getCpuUsage().getTotalUsage();
            long systemDelta = now.getSystemCpuUsage() - pre.getSystemCpuUsage();
            long cpus = now.getOnlineCpus() != null && now.getOnlineCpus() > 0 ? now.getOnlineCpus()
                    : now.getCpuUsage().getPercpuUsage() == null ? 1 : now.getCpuUsage().getPercpuUsage().size();
            if (systemDelta > 0 && cpuDelta >= 0) {
                cpu = (double) cpuDelta / systemDelta * cpus * 100.0;
            }
        }
        long memory = 0;
        long limit = 0;
        var mem = s.getMemoryStats();
        if (mem != null) {
            memory = mem.getUsage() == null ? 0 : mem.getUsage();
            // As `docker stats` does on cgroup v1: page cache is reclaimable, not the process's memory.
            if (mem.getStats() != null && mem.getStats().getCache() != null) {
                memory = Math.max(0, memory - mem.getStats().getCache());
            }
            limit = mem.getLimit() == null ? 0 : mem.getLimit();
        }
        Instant time = parseInstant(s.getRead());
        return new ResourceUsage(time == null ? Instant.now() : time, containerId, cpu, memory, limit);
    }

    @Override
    public void updateCpuQuota(String containerId, long quotaMicros, long periodMicros) {
        long quota = quotaMicros <= 0 ? -1 : quotaMicros;
        call("update CPU quota of container " + containerId + " to " + quota + "/" + periodMicros + " us", () -> {
            var cmd = quick.updateContainerCmd(containerId).withCpuQuota(quota);
            if (periodMicros > 0) cmd.withCpuPeriod(periodMicros);
            return cmd.exec();
        });
    }

    /**
     * What cgroup v1 reports (and accepts) as "no limit": PAGE_COUNTER_MAX pages of 4 KiB. Docker's
     * API rejects negative limits and takes 0 as "unchanged", so removing a limit writes this instead.
     */
    static final long UNLIMITED_MEMORY = 9223372036854771712L;

    @Override
    public long memoryLimit(String containerId) {
        var c = call("inspect container " + containerId, () -> quick.inspectContainerCmd(containerId).exec());
        Long memory = c.getHostConfig() == null ? null : c.getHostConfig().getMemory();
        return memory == null || memory <= 0 || memory >= UNLIMITED_MEMORY ? 0 : memory;
    }

    @Override
    public void updateMemoryLimit(String containerId, long bytes) {
        long limit = bytes <= 0 ? UNLIMITED_MEMORY : bytes;
        // memory+swap equal to memory: no swap; runc orders the two writes so that raising and lowering both work
        call("update memory limit of container " + containerId + " to " + limit + " bytes",
                () -> quick.updateContainerCmd(containerId).withMemory(limit).withMemorySwap(limit).exec());
    }

    // ---- mapping ----

    static ContainerInfo toInfo(InspectContainerResponse c) {
        Map<String, String> labels = c.getConfig() == null || c.getConfig().getLabels() == null
                ? Map.of() : Map.copyOf(c.getConfig().getLabels());
        var state = c.getState();
        ContainerState containerState = state == null ? ContainerState.UNKNOWN : stateOf(state.getStatus());
        Health health = Health.NONE;
        if (state != null && state.getHealth() != null && state.getHealth().getStatus() != null) {
            health = switch (state.getHealth().getStatus()) {
                case "healthy" -> Health.HEALTHY;
                case "unhealthy" -> Health.UNHEALTHY;
                case "starting" -> Health.STARTING;
                default -> Health.NONE;
            };
        }
        RestartPolicy policy = RestartPolicy.NONE;
        long cpuQuota = 0;
        long cpuPeriod = 0;
        HostConfig hostConfig = c.getHostConfig();
        if (hostConfig != null) {
            var rp = hostConfig.getRestartPolicy();
            if (rp != null && rp.getName() != null && !rp.getName().isEmpty()) {
                policy = new RestartPolicy(rp.getName(), rp.getMaximumRetryCount() == null ? 0 : rp.getMaximumRetryCount());
            }
            cpuQuota = hostConfig.getCpuQuota() == null ? 0 : Math.max(0, hostConfig.getCpuQuota());
            cpuPeriod = hostConfig.getCpuPeriod() == null ? 0 : hostConfig.getCpuPeriod();
        }
        List<PublishedPort> ports = new ArrayList<>();
        Map<String, String> ips = new LinkedHashMap<>();
        var network = c.getNetworkSettings();
        if (network != null) {
            Ports p = network.getPorts();
            if (p != null && p.getBindings() != null) {
                for (Map.Entry<ExposedPort, Ports.Binding[]> e : p.getBindings().entrySet()) {
                    ExposedPort exposed = e.getKey();
                    String protocol = exposed.getProtocol() == null ? "tcp" : exposed.getProtocol().toString();
                    if (e.getValue() == null || e.getValue().length == 0) {
                        ports.add(new PublishedPort(exposed.getPort(), protocol, "", 0));
                    } else {
                        for (Ports.Binding b : e.getValue()) {
                            int hostPort = parseInt(b.getHostPortSpec());
                            ports.add(new PublishedPort(exposed.getPort(), protocol, b.getHostIp() == null ? "" : b.getHostIp(), hostPort));
                        }
                    }
                }
            }
            if (network.getNetworks() != null) {
                network.getNetworks().forEach((name, n) -> {
                    if (n.getIpAddress() != null && !n.getIpAddress().isEmpty()) ips.put(name, n.getIpAddress());
                });
            }
        }
        ports.sort(Comparator.comparingInt(PublishedPort::containerPort).thenComparing(PublishedPort::protocol)
                .thenComparing(PublishedPort::hostIp));
        String name = c.getName() == null ? "" : c.getName().replaceFirst("^/", "");
        Long pid = state == null ? null : state.getPidLong();
        Long exit = state == null ? null : state.getExitCodeLong();
        Integer restarts = c.getRestartCount();
        return new ContainerInfo(
                c.getId(),
                name,
                labels.getOrDefault("com.docker.compose.project", ""),
                labels.getOrDefault("com.docker.compose.service", ""),
                parseInt(labels.get("com.docker.compose.container-number")),
                c.getConfig() == null || c.getConfig().getImage() == null ? "" : c.getConfig().getImage(),
                containerState,
                health,
                exit == null ? 0 : exit.intValue(),
                state != null && Boolean.TRUE.equals(state.getOOMKilled()),
                policy,
                restarts == null ? 0 : restarts,
                List.copyOf(ports),
                pid == null ? 0 : pid.intValue(),
                state == null ? null : parseInstant(state.getStartedAt()),
                state == null ? null : parseInstant(state.getFinishedAt()),
                labels,
                Map.copyOf(ips),
                cpuQuota,
                cpuPeriod);
    }

    static ContainerState stateOf(String status) {
        if (status == null) return ContainerState.UNKNOWN;
        return switch (status) {
            case "created" -> ContainerState.CREATED;
            case "running" -> ContainerState.RUNNING;
            case "paused" -> ContainerState.PAUSED;
            case "restarting" -> ContainerState.RESTARTING;
            case "removing" -> ContainerState.REMOVING;
            case "exited" -> ContainerState.EXITED;
            case "dead" -> ContainerState.DEAD;
            default -> ContainerState.UNKNOWN;
        };
    }

    /** Docker writes "0001-01-01T00:00:00Z" for "never"; that is null here. */
    static Instant parseInstant(String s) {
        if (s == null || s.isEmpty() || s.startsWith("0001-01-01")) return null;
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static int parseInt(String s) {
        if (s == null || s.isEmpty()) return 0;
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int seconds(Duration d) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, (d.toMillis() + 999) / 1000));
    }

    // ---- error handling ----

    private <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            throw wrap(what, e);
        }
    }

    private void call(String what, Runnable action) {
        call(what, () -> {
            action.run();
            return null;
        });
    }

    /** Runs a call that may legitimately take long on the streaming client, but never longer than {@code limit}. */
    private <T> T bounded(String what, Duration limit, Supplier<T> action) {
        var future = java.util.concurrent.CompletableFuture.supplyAsync(action, runnable -> {
            Thread t = new Thread(runnable, "faultline-docker-call");
            t.setDaemon(true);
            t.start();
        });
        try {
            return future.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            future.cancel(true);
            throw new EngineException(what + " did not answer within " + limit, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(what + " interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException re ? wrap(what, re) : new EngineException(what + " failed: " + cause, cause);
        }
    }

    private EngineException wrap(String what, RuntimeException e) {
        if (e instanceof EngineException ee) return ee;
        if (e instanceof NotFoundException) {
            return new EngineException(what + ": not found (" + describe(e) + ")", e);
        }
        if (!(e instanceof DockerException) && isConnectionProblem(e)) {
            return new NoEngineException(what + ": the Docker engine at " + endpoint + " did not answer ("
                    + describe(e) + "); " + FIX, e);
        }
        return new EngineException(what + " failed: " + describe(e), e);
    }

    private static boolean isConnectionProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.SocketTimeoutException
                    || t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    /** The engine's own words when it answered (e.g. "Status 409: ..."), else the root cause, without wrapper class names. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        if (root == e || e instanceof DockerException) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage().strip());
    }

    /** A call whose answer streams back: {@code call} starts it and waits with a bound. */
    @FunctionalInterface
    private interface StreamedCall<T> {
        T run() throws InterruptedException;
    }

    /**
     * Runs a streamed call, turning every failure into an {@link EngineException} that names
     * {@code what}, and always closes the stream: a stream left open keeps a connection to the engine.
     */
    private <T> T streamed(String what, AutoCloseable stream, StreamedCall<T> call) {
        try {
            return call.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(what + " interrupted", e);
        } catch (EngineException e) {
            throw e;
        } catch (RuntimeException e) {
            throw wrap(what, e);
        } finally {
            closeQuietly(stream);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception ignored) {
            // closing a finished stream or a client: nothing useful to report
        }
    }

    // ---- swarm: raw JSON, see DockerSwarmApi for why

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
