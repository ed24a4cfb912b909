package dev.faultline.core.swarm;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.EngineEvent;
import dev.faultline.core.engine.EngineException;
import dev.faultline.core.engine.EngineInfo;
import dev.faultline.core.engine.ExecResult;
import dev.faultline.core.engine.HelperSpec;
import dev.faultline.core.engine.LogLine;
import dev.faultline.core.engine.NodeAvailability;
import dev.faultline.core.engine.ResourceUsage;
import dev.faultline.core.engine.SwarmNode;
import dev.faultline.core.engine.SwarmService;
import dev.faultline.core.engine.SwarmTask;
import dev.faultline.core.helper.Helpers;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A swarm as one {@link Engine}: swarm calls go to the manager, each container call to the engine of
 * the node that runs the container (found by asking the nodes, then remembered), a helper to the node of
 * the container it works next to. So a crash, a pause or a network fault on a task is the same fault as on
 * a Compose container, made by the node's own engine.
 *
 * <p>Where the nodes are containers on an engine of this machine (the test swarm, tools/swarm/up.sh), that
 * engine is the <em>machine</em> engine: a node can then be lost for real (its container paused or stopped),
 * and the run's reaper lives there, next to the JVM whose pid it leases, where it can always unpause or start
 * a node again. {@link #info()} answers for the machine engine when there is one (it is where the reaper runs,
 * and it is local), else for the manager.
 */
public final class SwarmEngine implements Engine {

    private final Engine manager;
    private final Function<SwarmNode, Engine> nodeEngines;
    private final Engine machines;
    /** Node hostname to the id of the container that is that node, on {@link #machines}. */
    private final Map<String, String> machineOf;
    private final Map<String, Engine> byNodeId = new ConcurrentHashMap<>();
    private final Map<String, String> hostnameOf = new ConcurrentHashMap<>();
    /** Container id (or name, as asked) to the engine that has it. */
    private final Map<String, Engine> owner = new ConcurrentHashMap<>();

    private SwarmEngine(Engine manager, Function<SwarmNode, Engine> nodeEngines, Engine machines, Map<String, String> machineOf) {
        this.manager = manager;
        this.nodeEngines = nodeEngines;
        this.machines = machines;
        this.machineOf = Map.copyOf(machineOf);
    }

    /**
     * A swarm whose manager answers at {@code manager} and whose nodes' engines are reached through
     * {@code nodeEngines} (e.g. {@code node -> Engines.connect("tcp://" + node.address() + ":2375")}).
     */
    public static SwarmEngine of(Engine manager, Function<SwarmNode, Engine> nodeEngines) {
        Objects.requireNonNull(manager, "manager");
        Objects.requireNonNull(nodeEngines, "nodeEngines");
        return new SwarmEngine(manager, nodeEngines, null, Map.of());
    }

    /** The same swarm, whose nodes are containers on {@code machines}: node hostname to container id. */
    public SwarmEngine withMachines(Engine machines, Map<String, String> nodeContainers) {
        Objects.requireNonNull(machines, "machines");
        Objects.requireNonNull(nodeContainers, "nodeContainers");
        return new SwarmEngine(manager, nodeEngines, machines, nodeContainers);
    }

    public Engine manager() {
        return manager;
    }

    /** The id of the container that is this node, when the nodes are containers on a machine engine. */
    public Optional<String> machineOf(String hostname) {
        return Optional.ofNullable(machineOf.get(hostname));
    }

    /** The engine of one node, by node id. */
    public Engine node(String nodeId) {
        Engine e = byNodeId.get(nodeId);
        if (e == null) {
            refreshNodes();
            e = byNodeId.get(nodeId);
        }
        if (e == null) {
            throw new EngineException("no swarm node with id " + nodeId + "; nodes: " + hostnameOf);
        }
        return e;
    }

    /** Hostname of a node, by id ("" when unknown). */
    public String hostname(String nodeId) {
        if (!hostnameOf.containsKey(nodeId)) {
            refreshNodes();
        }
        return hostnameOf.getOrDefault(nodeId, "");
    }

    private synchronized void refreshNodes() {
        for (SwarmNode n : manager.swarmNodes()) {
            hostnameOf.put(n.id(), n.hostname());
            byNodeId.computeIfAbsent(n.id(), id -> nodeEngines.apply(n));
        }
    }

    private List<Engine> nodeEngines() {
        if (byNodeId.isEmpty()) {
            refreshNodes();
        }
        return List.copyOf(byNodeId.values());
    }

    private Engine home() {
        return machines != null ? machines : manager;
    }

    /** The engine that has this container: a node's container is on the machine engine, a task's on its node. */
    Engine engineFor(String containerId) {
        Engine known = owner.get(containerId);
        if (known != null) {
            return known;
        }
        if (machines != null && (machineOf.containsValue(containerId) || machineOf.containsKey(containerId))) {
            return machines;
        }
        List<String> tried = new ArrayList<>();
        for (Engine e : nodeEngines()) {
            try {
                ContainerInfo c = e.inspect(containerId);
                owner.put(containerId, e);
                owner.put(c.id(), e);
                return e;
            } catch (EngineException notThere) {
                tried.add(e.toString());
            }
        }
        if (machines != null) {
            try {
                machines.inspect(containerId);
                owner.put(containerId, machines);
                return machines;
            } catch (EngineException notThere) {
                tried.add(machines.toString());
            }
        }
        throw new EngineException("container " + containerId + " is on none of the swarm's engines (asked " + tried + ")");
    }

    /**
     * A task reaches this JVM at this machine's address on the network of its node's container: its traffic to
     * that address leaves through the node's {@code docker_gwbridge} (masqueraded) and the node's own interface,
     * onto that network. Only where the nodes are containers on this machine's engine ({@link #withMachines}) and
     * this JVM is on their network is that known; otherwise it is refused, naming why, before anything is done.
     * A container of the machine engine itself reaches this JVM at its own default gateway (empty).
     */
    @Override
    public Optional<InetAddress> jvmAddressFor(String containerId) {
        Engine e = engineFor(containerId);
        if (e == machines) {
            return Optional.empty();
        }
        String hostname = byNodeId.entrySet().stream().filter(n -> n.getValue() == e).map(n -> hostnameOf.get(n.getKey()))
                .filter(Objects::nonNull).findFirst().orElse("?");
        String refused = "container " + containerId + " on swarm node " + hostname + " cannot reach this JVM: ";
        if (machines == null) {
            throw new EngineException(refused + "the nodes are not known to be containers of an engine on this machine"
                    + " (SwarmEngine.withMachines), so no address of this JVM is known to be reachable from a task; faults"
                    + " through faultline's TCP proxy (latency without netem, jitter, reset, timeout, slow close) need one."
                    + " Faults made by netfilter or tc on the node (packet loss, partition, blackhole, DNS) do not");
        }
        String machine = machineOf.get(hostname);
        if (machine == null) {
            throw new EngineException(refused + "no container of " + machines + " is that node (known: " + machineOf.keySet() + ")");
        }
        ContainerInfo node = machines.inspect(machine);
        for (String ip : node.ipAddresses().values()) {
            Optional<InetAddress> local = LocalRoute.onLinkTo(ip);
            if (local.isPresent()) {
                return local;
            }
        }
        throw new EngineException(refused + "this JVM has no address on a network of the node's container " + node.name()
                + " " + node.ipAddresses() + " (the JVM runs on another machine than " + machines + ")");
    }

    // ---- the swarm: the manager

    @Override
    public String swarmApi() {
        return manager.swarmApi();
    }

    @Override
    public List<SwarmNode> swarmNodes() {
        return manager.swarmNodes();
    }

    @Override
    public List<SwarmService> swarmServices(Map<String, String> labels) {
        return manager.swarmServices(labels);
    }

    @Override
    public List<SwarmTask> swarmTasks(String service) {
        return manager.swarmTasks(service);
    }

    @Override
    public void updateNodeAvailability(String nodeId, NodeAvailability availability) {
        manager.updateNodeAvailability(nodeId, availability);
    }

    @Override
    public void scaleService(String serviceId, int replicas) {
        manager.scaleService(serviceId, replicas);
    }

    // ---- the engine as a whole

    @Override
    public EngineInfo info() {
        return home().info();
    }

    @Override
    public void ping() {
        manager.ping();
    }

    /** Containers of every node (not of the machine engine: the nodes themselves are not targets). */
    @Override
    public List<ContainerInfo> containers(Map<String, String> labels, boolean includeStopped) {
        List<ContainerInfo> all = new ArrayList<>();
        for (Engine e : nodeEngines()) {
            for (ContainerInfo c : e.containers(labels, includeStopped)) {
                owner.put(c.id(), e);
                all.add(c);
            }
        }
        return List.copyOf(all);
    }

    @Override
    public boolean imageExists(String reference) {
        return home().imageExists(reference);
    }

    @Override
    public void buildImage(Path contextDir, String tag, Map<String, String> buildArgs, Duration timeout) {
        home().buildImage(contextDir, tag, buildArgs, timeout);
    }

    /**
     * A helper runs on the engine of the container it works next to ({@code container:<id>} network or PID
     * mode, or its {@code faultline.target} label); the reaper and helpers with no target run on the machine
     * engine (or the manager). The image must be on that node already: a swarm without a registry cannot pull it.
     */
    @Override
    public String run(HelperSpec spec) {
        Engine target = null;
        for (String mode : new String[] {spec.networkMode(), spec.pidMode()}) {
            if (mode != null && mode.startsWith("container:")) {
                target = engineFor(mode.substring("container:".length()));
            }
        }
        String targetName = spec.labels().get(Helpers.TARGET);
        if (target == null && targetName != null && !targetName.isEmpty()) {
            target = engineFor(targetName);
        }
        if (target == null) {
            target = home();
            spec = nextToTheNodes(spec);
        }
        if (target != home() && !target.imageExists(spec.image())) {
            throw new EngineException("helper image " + spec.image() + " is not on the node that runs " + targetName
                    + " (" + target + "); a swarm node cannot pull it here: load it with `docker save " + spec.image()
                    + " | docker -H <node> load` (tools/swarm/up.sh does it for the test swarm)");
        }
        String id = target.run(spec);
        owner.put(id, target);
        owner.put(spec.name(), target);
        return id;
    }

    /**
     * The reaper of a run, on the machine engine, joins the nodes' network, so that after the JVM died it can
     * still reach the manager's API to undo a drain or a scaling ({@link #swarmApi()}).
     */
    private HelperSpec nextToTheNodes(HelperSpec spec) {
        if (machines == null || spec.networkMode() != null || machineOf.isEmpty()
                || !"reaper".equals(spec.labels().get(Helpers.ROLE))) {
            return spec;
        }
        String network = machines.inspect(machineOf.values().iterator().next()).ipAddresses().keySet().stream()
                .findFirst().orElse(null);
        return network == null ? spec : new HelperSpec(spec.image(), spec.command(), spec.labels(), spec.name(),
                spec.pidMode(), network, spec.capAdd(), spec.privileged(), spec.cgroupParent(), spec.binds(), spec.autoRemove());
    }

    /** Events of every node's containers; a task's service is its swarm service's name inside the stack. */
    @Override
    public Closeable events(Map<String, String> labels, Consumer<EngineEvent> listener) {
        List<Closeable> streams = new ArrayList<>();
        for (Engine e : nodeEngines()) {
            streams.add(e.events(labels, event -> listener.accept(withService(event))));
        }
        return () -> {
            IOException failure = null;
            for (Closeable c : streams) {
                try {
                    c.close();
                } catch (IOException ex) {
                    failure = ex;
                }
            }
            if (failure != null) {
                throw failure;
            }
        };
    }

    static EngineEvent withService(EngineEvent e) {
        if (!e.service().isEmpty()) {
            return e;
        }
        String service = e.attributes().getOrDefault("com.docker.swarm.service.name", "");
        String stack = e.attributes().getOrDefault(SwarmStack.STACK_LABEL, "");
        if (!stack.isEmpty() && service.startsWith(stack + "_")) {
            service = service.substring(stack.length() + 1);
        }
        return new EngineEvent(e.time(), e.containerId(), service, e.action(), new LinkedHashMap<>(e.attributes()));
    }

    // ---- one container: the engine that has it

    @Override
    public ContainerInfo inspect(String containerId) {
        return engineFor(containerId).inspect(containerId);
    }

    @Override
    public void kill(String containerId, String signal) {
        engineFor(containerId).kill(containerId, signal);
    }

    @Override
    public void stop(String containerId, Duration timeout) {
        engineFor(containerId).stop(containerId, timeout);
    }

    @Override
    public void start(String containerId) {
        engineFor(containerId).start(containerId);
    }

    @Override
    public void restart(String containerId, Duration timeout) {
        engineFor(containerId).restart(containerId, timeout);
    }

    @Override
    public void pause(String containerId) {
        engineFor(containerId).pause(containerId);
    }

    @Override
    public void unpause(String containerId) {
        engineFor(containerId).unpause(containerId);
    }

    @Override
    public ExecResult exec(String containerId, List<String> command, Duration timeout) {
        return engineFor(containerId).exec(containerId, command, timeout);
    }

    @Override
    public Optional<Integer> waitForExit(String containerId, Duration timeout) {
        return engineFor(containerId).waitForExit(containerId, timeout);
    }

    /** Removing a container that is on no engine any more is not an error (removal is idempotent). */
    @Override
    public void remove(String containerId, boolean force) {
        Engine e;
        try {
            e = engineFor(containerId);
        } catch (EngineException gone) {
            return;
        }
        e.remove(containerId, force);
    }

    @Override
    public List<LogLine> logs(String containerId, Instant since, Instant until) {
        return engineFor(containerId).logs(containerId, since, until);
    }

    @Override
    public ResourceUsage stats(String containerId) {
        return engineFor(containerId).stats(containerId);
    }

    @Override
    public void updateCpuQuota(String containerId, long quotaMicros, long periodMicros) {
        engineFor(containerId).updateCpuQuota(containerId, quotaMicros, periodMicros);
    }

    @Override
    public long memoryLimit(String containerId) {
        return engineFor(containerId).memoryLimit(containerId);
    }

    @Override
    public void updateMemoryLimit(String containerId, long bytes) {
        engineFor(containerId).updateMemoryLimit(containerId, bytes);
    }

    @Override
    public String toString() {
        return "SwarmEngine[manager " + manager + (machines == null ? "" : ", nodes are containers on " + machines) + "]";
    }
}
