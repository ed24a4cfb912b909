package dev.faultline.core.testing;

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
import dev.faultline.core.engine.PublishedPort;
import dev.faultline.core.engine.ResourceUsage;
import dev.faultline.core.engine.RestartPolicy;
import java.io.Closeable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * An in-memory {@link Engine} for unit tests: containers you add, every call recorded in
 * {@link #calls()}, exec answers you script, events you emit. State changes act like Docker's
 * (kill/stop exit the container, start/restart run it, pause freezes it). Thread-safe enough for
 * tests that drive it from a runner thread.
 */
public final class FakeEngine implements Engine {

    private final Map<String, ContainerInfo> containers = new LinkedHashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<Consumer<EngineEvent>> listeners = new CopyOnWriteArrayList<>();
    private final List<EngineEvent> onSubscribe = new CopyOnWriteArrayList<>();
    private final Map<String, List<LogLine>> logs = new HashMap<>();
    private final Map<String, String> images = new HashMap<>();
    private final Map<String, Long> memoryLimits = new HashMap<>();
    private volatile BiFunction<String, List<String>, ExecResult> execHandler = (id, cmd) -> new ExecResult(0, "", "");
    private volatile ResourceUsage usage;
    private volatile boolean down;
    private int helpers;

    /** A running Compose container of {@code project}/{@code service}, number 1 unless {@link #with}. */
    public static ContainerInfo container(String project, String service) {
        return container(project, service, 1);
    }

    public static ContainerInfo container(String project, String service, int number) {
        String name = project + "_" + service + "_" + number;
        Map<String, String> labels = Map.of(
                "com.docker.compose.project", project,
                "com.docker.compose.service", service,
                "com.docker.compose.container-number", Integer.toString(number));
        return new ContainerInfo(Integer.toHexString(name.hashCode()) + "0000000000000000" + number, name, project, service, number,
                project + "/" + service, ContainerState.RUNNING, Health.HEALTHY, 0, false,
                new RestartPolicy("unless-stopped", 0), 0, List.of(), 4000 + number, Instant.EPOCH, null, labels,
                Map.of(project + "_default", "172.18.0." + (10 + number)), 0, 0);
    }

    /** Copies with a few fields changed, for readable test data. */
    public static ContainerInfo with(ContainerInfo c, ContainerState state, Health health, RestartPolicy policy,
            int restartCount, List<PublishedPort> ports) {
        return new ContainerInfo(c.id(), c.name(), c.project(), c.service(), c.number(), c.image(), state, health,
                state == ContainerState.EXITED ? 137 : c.exitCode(), c.oomKilled(), policy, restartCount, List.copyOf(ports),
                state == ContainerState.RUNNING ? c.hostPid() : 0, c.startedAt(), c.finishedAt(), c.labels(), c.ipAddresses(),
                c.cpuQuota(), c.cpuPeriod());
    }

    public synchronized FakeEngine add(ContainerInfo container) {
        containers.put(container.id(), container);
        return this;
    }

    /** Makes every call fail as if the engine had gone away. */
    public FakeEngine down(boolean down) {
        this.down = down;
        return this;
    }

    /** Answers exec calls: (container id, command) -> result. */
    public FakeEngine onExec(BiFunction<String, List<String>, ExecResult> handler) {
        this.execHandler = Objects.requireNonNull(handler);
        return this;
    }

    public FakeEngine usage(ResourceUsage usage) {
        this.usage = usage;
        return this;
    }

    public synchronized FakeEngine log(String containerId, LogLine line) {
        logs.computeIfAbsent(containerId, k -> new ArrayList<>()).add(line);
        return this;
    }

    /** Delivers an event to every open {@link #events} subscription. */
    public void emit(EngineEvent event) {
        listeners.forEach(l -> l.accept(event));
    }

    /**
     * Events each new subscriber receives as soon as it subscribes: what happens right after a
     * subscription, without a test thread racing the code under test.
     */
    public FakeEngine emitOnSubscribe(EngineEvent... events) {
        onSubscribe.addAll(List.of(events));
        return this;
    }

    /** Calls made, e.g. "kill abc SIGKILL", "exec abc [ps, -e]", in order. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    private void record(String call) {
        if (down) {
            throw new EngineException(call + ": the fake engine is down");
        }
        calls.add(call);
    }

    private synchronized ContainerInfo get(String id) {
        ContainerInfo c = containers.get(id);
        if (c == null) {
            c = containers.values().stream().filter(x -> x.name().equals(id)).findFirst().orElse(null);
        }
        if (c == null) {
            throw new EngineException("inspect container " + id + ": not found");
        }
        return c;
    }

    private synchronized void set(String id, ContainerState state) {
        ContainerInfo c = get(id);
        containers.put(c.id(), with(c, state, c.health(), c.restartPolicy(),
                c.restartCount(), c.ports()));
    }

    @Override
    public EngineInfo info() {
        record("info");
        return new EngineInfo("fake", "1.41", "fake://", "linux", "fake", true);
    }

    @Override
    public void ping() {
        record("ping");
    }

    @Override
    public synchronized List<ContainerInfo> containers(Map<String, String> labels, boolean includeStopped) {
        record("containers " + new java.util.TreeMap<>(labels) + (includeStopped ? " all" : ""));
        return containers.values().stream()
                .filter(c -> includeStopped || c.running())
                .filter(c -> labels.entrySet().stream().allMatch(e -> e.getValue() == null
                        ? c.labels().containsKey(e.getKey())
                        : e.getValue().equals(c.labels().get(e.getKey()))))
                .sorted(Comparator.comparing(ContainerInfo::service).thenComparingInt(ContainerInfo::number))
                .toList();
    }

    @Override
    public ContainerInfo inspect(String containerId) {
        record("inspect " + containerId);
        return get(containerId);
    }

    @Override
    public void kill(String containerId, String signal) {
        record("kill " + containerId + " " + signal);
        set(containerId, ContainerState.EXITED);
    }

    @Override
    public void stop(String containerId, Duration timeout) {
        record("stop " + containerId);
        set(containerId, ContainerState.EXITED);
    }

    @Override
    public void start(String containerId) {
        record("start " + containerId);
        set(containerId, ContainerState.RUNNING);
    }

    @Override
    public void restart(String containerId, Duration timeout) {
        record("restart " + containerId);
        set(containerId, ContainerState.RUNNING);
        // as Docker does: the new main process has a new start time (a restart's effect is measured by it)
        synchronized (this) {
            ContainerInfo c = get(containerId);
            java.time.Instant later = c.startedAt() == null ? java.time.Instant.now()
                    : java.time.Instant.now().isAfter(c.startedAt()) ? java.time.Instant.now() : c.startedAt().plusMillis(1);
            containers.put(c.id(), new ContainerInfo(c.id(), c.name(), c.project(), c.service(), c.number(), c.image(), c.state(),
                    c.health(), c.exitCode(), c.oomKilled(), c.restartPolicy(), c.restartCount(), c.ports(), c.hostPid(), later,
                    c.finishedAt(), c.labels(), c.ipAddresses(), c.cpuQuota(), c.cpuPeriod()));
        }
    }

    @Override
    public void pause(String containerId) {
        record("pause " + containerId);
        set(containerId, ContainerState.PAUSED);
    }

    @Override
    public void unpause(String containerId) {
        record("unpause " + containerId);
        set(containerId, ContainerState.RUNNING);
    }

    @Override
    public ExecResult exec(String containerId, List<String> command, Duration timeout) {
        record("exec " + containerId + " " + command);
        return execHandler.apply(containerId, command);
    }

    @Override
    public synchronized boolean imageExists(String reference) {
        record("imageExists " + reference);
        return images.containsKey(reference);
    }

    @Override
    public synchronized void buildImage(Path contextDir, String tag, Map<String, String> buildArgs, Duration timeout) {
        record("buildImage " + tag);
        images.put(tag, contextDir.toString());
    }

    @Override
    public synchronized String run(HelperSpec spec) {
        record("run " + spec.image() + " " + spec.command());
        String id = "helper" + (++helpers) + "0000000000000000";
        containers.put(id, new ContainerInfo(id, spec.name() == null ? "helper" + helpers : spec.name(), "", "", 0,
                spec.image(), ContainerState.RUNNING, Health.NONE, 0, false, RestartPolicy.NONE, 0, List.of(), 9000 + helpers,
                Instant.EPOCH, null, spec.labels(), Map.of(), 0, 0));
        return id;
    }

    @Override
    public Optional<Integer> waitForExit(String containerId, Duration timeout) {
        record("waitForExit " + containerId);
        ContainerInfo c = get(containerId);
        return c.running() ? Optional.empty() : Optional.of(c.exitCode());
    }

    @Override
    public synchronized void remove(String containerId, boolean force) {
        record("remove " + containerId);
        containers.remove(containerId);
    }

    @Override
    public synchronized List<LogLine> logs(String containerId, Instant since, Instant until) {
        record("logs " + containerId);
        return logs.getOrDefault(containerId, List.of()).stream()
                .filter(l -> !l.time().isBefore(since) && !l.time().isAfter(until)).toList();
    }

    @Override
    public Closeable events(Map<String, String> labels, Consumer<EngineEvent> listener) {
        record("events " + new java.util.TreeMap<>(labels));
        listeners.add(listener);
        onSubscribe.forEach(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public ResourceUsage stats(String containerId) {
        record("stats " + containerId);
        ResourceUsage u = usage;
        return u != null ? u : new ResourceUsage(Instant.now(), containerId, 0, 0, 0);
    }

    @Override
    public synchronized void updateCpuQuota(String containerId, long quotaMicros, long periodMicros) {
        record("updateCpuQuota " + containerId + " " + quotaMicros + " " + periodMicros);
        ContainerInfo c = get(containerId);
        containers.put(c.id(), new ContainerInfo(c.id(), c.name(), c.project(), c.service(), c.number(), c.image(), c.state(),
                c.health(), c.exitCode(), c.oomKilled(), c.restartPolicy(), c.restartCount(), c.ports(), c.hostPid(),
                c.startedAt(), c.finishedAt(), c.labels(), c.ipAddresses(), quotaMicros <= 0 ? 0 : quotaMicros, periodMicros));
    }

    @Override
    public synchronized long memoryLimit(String containerId) {
        record("memoryLimit " + containerId);
        return memoryLimits.getOrDefault(get(containerId).id(), 0L);
    }

    @Override
    public synchronized void updateMemoryLimit(String containerId, long bytes) {
        record("updateMemoryLimit " + containerId + " " + bytes);
        memoryLimits.put(get(containerId).id(), Math.max(0, bytes));
    }
}
