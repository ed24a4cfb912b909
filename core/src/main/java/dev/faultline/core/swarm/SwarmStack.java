package dev.faultline.core.swarm;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.EngineException;
import dev.faultline.core.engine.SwarmService;
import dev.faultline.core.engine.SwarmTask;
import dev.faultline.core.target.TargetNotFoundException;
import dev.faultline.core.target.Targets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A stack deployed with {@code docker stack deploy}: its services are found by the label the CLI sets
 * ({@code com.docker.stack.namespace}), named as in the stack file ("web", not "shop_web"), and a service's
 * containers are the containers of its tasks that the swarm wants running, each inspected on its node. A
 * container's {@code number} is its task's slot. Looked up afresh on each call: a replaced task is a new
 * container on perhaps another node.
 */
public final class SwarmStack implements Targets {

    public static final String STACK_LABEL = "com.docker.stack.namespace";

    private final SwarmEngine engine;
    private final String stack;

    private SwarmStack(SwarmEngine engine, String stack) {
        this.engine = engine;
        this.stack = stack;
    }

    /**
     * @throws TargetNotFoundException when no service carries the stack's label, naming the stacks there are
     */
    public static SwarmStack named(SwarmEngine engine, String stack) {
        Objects.requireNonNull(engine, "engine");
        if (stack == null || stack.isBlank()) {
            throw new IllegalArgumentException("stack must be a non-empty stack name, got '" + stack + "'");
        }
        if (engine.swarmServices(Map.of(STACK_LABEL, stack)).isEmpty()) {
            List<String> stacks = stacks(engine);
            throw new TargetNotFoundException("No stack '" + stack + "' on the swarm managed at " + engine.manager() + ": "
                    + (stacks.isEmpty() ? "it has no stacks at all (deploy one with docker stack deploy -c stack.yml NAME)."
                            : "its stacks are: " + String.join(", ", stacks) + "."));
        }
        return new SwarmStack(engine, stack);
    }

    /** Stacks that have services on this swarm, sorted. */
    public static List<String> stacks(SwarmEngine engine) {
        Map<String, String> any = new HashMap<>();
        any.put(STACK_LABEL, null);
        return new ArrayList<>(engine.swarmServices(any).stream().map(SwarmService::stack)
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
    }

    public SwarmEngine engine() {
        return engine;
    }

    @Override
    public String project() {
        return stack;
    }

    @Override
    public Map<String, String> labels() {
        return Map.of(STACK_LABEL, stack);
    }

    /** The stack's services with their specs, sorted by name. */
    public List<SwarmService> swarmServices() {
        return engine.swarmServices(Map.of(STACK_LABEL, stack));
    }

    @Override
    public List<String> services() {
        return swarmServices().stream().map(SwarmService::shortName).sorted().toList();
    }

    /** One service by its name in the stack file. */
    public SwarmService service(String service) {
        Objects.requireNonNull(service, "service");
        return swarmServices().stream().filter(s -> s.shortName().equals(service)).findFirst()
                .orElseThrow(() -> new TargetNotFoundException("No service '" + service + "' in stack '" + stack
                        + "'; its services are: " + String.join(", ", services()) + "."));
    }

    /** Every task of the service, replaced ones included, oldest first. */
    public List<SwarmTask> tasks(String service) {
        return engine.swarmTasks(service(service).id());
    }

    /** The tasks the swarm wants running now, by slot. */
    public List<SwarmTask> wantedTasks(String service) {
        return tasks(service).stream().filter(SwarmTask::wanted)
                .sorted(Comparator.comparingInt(SwarmTask::slot).thenComparing(SwarmTask::since)).toList();
    }

    @Override
    public List<ContainerInfo> containers(String service) {
        SwarmService s = service(service);
        List<ContainerInfo> found = new ArrayList<>();
        for (SwarmTask t : engine.swarmTasks(s.id())) {
            if (!t.wanted() || t.containerId().isEmpty() || t.nodeId().isEmpty()) {
                continue;
            }
            try {
                found.add(asTarget(engine.node(t.nodeId()).inspect(t.containerId()), s, t));
            } catch (EngineException gone) {
                // the node is down or the container already went: the swarm will replace the task
            }
        }
        found.sort(Comparator.comparingInt(ContainerInfo::number).thenComparing(ContainerInfo::name));
        return List.copyOf(found);
    }

    /** The node's hostname where a container of this stack runs ("" when unknown). */
    public String nodeOf(ContainerInfo container) {
        return engine.hostname(container.labels().getOrDefault("com.docker.swarm.node.id", ""));
    }

    private ContainerInfo asTarget(ContainerInfo c, SwarmService s, SwarmTask t) {
        return new ContainerInfo(c.id(), c.name(), stack, s.shortName(), t.slot(), c.image(), c.state(), c.health(),
                c.exitCode(), c.oomKilled(), c.restartPolicy(), c.restartCount(), c.ports(), c.hostPid(), c.startedAt(),
                c.finishedAt(), c.labels(), c.ipAddresses(), c.cpuQuota(), c.cpuPeriod());
    }

    @Override
    public String toString() {
        return "SwarmStack[" + stack + " on " + engine + "]";
    }
}
