package dev.faultline.core.safety;

import dev.faultline.core.engine.NodeAvailability;
import dev.faultline.core.engine.SwarmNode;
import dev.faultline.core.engine.SwarmService;
import dev.faultline.core.engine.SwarmTask;
import dev.faultline.core.netfilter.RuleTag;
import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ContainerState;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.EngineEvent;
import dev.faultline.core.engine.EngineInfo;
import dev.faultline.core.engine.ExecResult;
import dev.faultline.core.engine.HelperSpec;
import dev.faultline.core.engine.LogLine;
import dev.faultline.core.engine.ResourceUsage;
import dev.faultline.core.helper.Helpers;
import java.io.Closeable;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The one place where a fault's changes are recorded and guarded: an {@link Engine} that every guarded
 * fault acts through. Before a change it refuses a protected container and writes the ledger's intent
 * (with how to undo it), after the change the confirmation, and when the fault's own revert makes the
 * inverse call (unpause, start, quota or memory limit back, helper removed) the reverted line. Faults need no
 * ledger code of their own, so new fault classes are covered as long as they act through the engine
 * they are given.
 */
final class LedgerEngine implements Engine {

    private final Engine engine;
    private final Ledger ledger;
    private final SafetyPolicy policy;
    private final String fault;
    private final String runId;
    /** Open entries this engine recorded, by seq, for {@link #settle}. */
    private final Map<Long, Open> open = new ConcurrentHashMap<>();

    private record Open(long seq, Undo undo, String helperKey) {}

    LedgerEngine(Engine engine, Ledger ledger, SafetyPolicy policy, String fault) {
        this.engine = engine;
        this.ledger = ledger;
        this.policy = policy;
        this.fault = fault;
        this.runId = ledger.runId();
    }

    // ---- changes: guarded and recorded

    @Override
    public void pause(String containerId) {
        ContainerInfo c = guarded(containerId, "pause");
        long seq = intent(c, Undo.unpause(c.id(), c.name()), null);
        engine.pause(containerId);
        ledger.confirmed(seq, null);
    }

    @Override
    public void unpause(String containerId) {
        try {
            engine.unpause(containerId);
        } catch (RuntimeException e) {
            // an Injection never throws for something already undone: someone unpaused (or restarted) it meanwhile
            if (Undoer.inspect(engine, containerId).map(c -> c.state() == ContainerState.PAUSED).orElse(false)) {
                throw e;
            }
        }
        closeMatching(Undo.Action.UNPAUSE, containerId);
    }

    @Override
    public void stop(String containerId, Duration timeout) {
        ContainerInfo c = guarded(containerId, "stop");
        Long seq = c.running() ? intent(c, Undo.start(c.id(), c.name()), null) : null;
        engine.stop(containerId, timeout);
        if (seq != null) {
            ledger.confirmed(seq, null);
        }
    }

    @Override
    public void start(String containerId) {
        try {
            engine.start(containerId);
        } catch (RuntimeException e) {
            // already running again (restarted meanwhile): nothing left to undo
            if (!Undoer.inspect(engine, containerId).map(ContainerInfo::running).orElse(false)) {
                throw e;
            }
        }
        closeMatching(Undo.Action.START, containerId);
    }

    @Override
    public void kill(String containerId, String signal) {
        if (!isHelper(containerId)) {
            guarded(containerId, "kill with SIG" + signal);
        }
        engine.kill(containerId, signal); // an API kill is one-shot by design: nothing recorded to undo
    }

    @Override
    public void restart(String containerId, Duration timeout) {
        guarded(containerId, "restart");
        engine.restart(containerId, timeout);
    }

    @Override
    public void updateCpuQuota(String containerId, long quotaMicros, long periodMicros) {
        Optional<Open> before = openOn(Undo.Action.RESTORE_CPU_QUOTA, containerId);
        if (before.isPresent()) {
            engine.updateCpuQuota(containerId, quotaMicros, periodMicros);
            Undo u = before.get().undo();
            boolean restored = (u.quota() <= 0 && quotaMicros <= 0) || u.quota() == quotaMicros;
            if (restored) {
                close(before.get().seq());
            }
            return;
        }
        ContainerInfo c = guarded(containerId, "change the CPU quota of");
        long seq = intent(c, Undo.restoreCpuQuota(c.id(), c.name(), c.cpuQuota(), c.cpuPeriod() > 0 ? c.cpuPeriod() : 100_000), null);
        engine.updateCpuQuota(containerId, quotaMicros, periodMicros);
        ledger.confirmed(seq, null);
    }

    @Override
    public long memoryLimit(String containerId) {
        return engine.memoryLimit(containerId);
    }

    /**
     * Recorded with the limit the container had (read first: {@link ContainerInfo} does not carry it); setting
     * that one back closes the entry (the fault's revert), so a temporary limit survives no JVM death.
     */
    @Override
    public void updateMemoryLimit(String containerId, long bytes) {
        Optional<Open> before = openOn(Undo.Action.RESTORE_MEMORY_LIMIT, containerId);
        if (before.isPresent()) {
            engine.updateMemoryLimit(containerId, bytes);
            if (Math.max(0, before.get().undo().quota()) == Math.max(0, bytes)) {
                close(before.get().seq());
            }
            return;
        }
        ContainerInfo c = guarded(containerId, "change the memory limit of");
        long seq = intent(c, Undo.restoreMemoryLimit(c.id(), c.name(), engine.memoryLimit(c.id())), null);
        engine.updateMemoryLimit(containerId, bytes);
        ledger.confirmed(seq, null);
    }

    @Override
    public String run(HelperSpec spec) {
        String targetName = spec.labels().get(Helpers.TARGET);
        ContainerInfo target = null;
        for (String mode : new String[] {spec.networkMode(), spec.pidMode()}) {
            if (mode != null && mode.startsWith("container:")) {
                target = guarded(mode.substring("container:".length()), "run a helper next to");
            }
        }
        if (target == null && targetName != null) {
            target = guarded(targetName, "run a helper against");
        }
        String helperKey = spec.name();
        String tId = target == null ? "" : target.id();
        String tName = target == null ? "" : target.name();
        long seq = ledger.intent(fault, tId, tName, Undo.removeHelper(spec.name(), spec.name()));
        open.put(seq, new Open(seq, Undo.removeHelper(spec.name(), spec.name()), helperKey));
        if (target != null && spec.capAdd().stream().anyMatch(cap -> cap.toUpperCase().endsWith("NET_ADMIN"))
                && spec.networkMode() != null && spec.networkMode().startsWith("container:")) {
            // the helper may add netfilter rules in the target's namespace; they carry the run id
            Undo rules = Undo.deleteRules(target.id(), target.name(), RuleTag.ofRun(runId));
            long r = ledger.intent(fault, tId, tName, rules);
            open.put(r, new Open(r, rules, helperKey));
        }
        String id;
        try {
            id = engine.run(spec);
        } catch (RuntimeException e) {
            settleQuietly(e);
            throw e;
        }
        ledger.confirmed(seq, id);
        Open was = open.get(seq);
        open.put(seq, new Open(seq, Undo.removeHelper(id, spec.name()), id));
        open.replaceAll((k, o) -> o.helperKey() != null && o.helperKey().equals(was.helperKey()) ? new Open(k, o.undo(), id) : o);
        return id;
    }

    @Override
    public void remove(String containerId, boolean force) {
        boolean wasRunning = Undoer.inspect(engine, containerId).map(ContainerInfo::running).orElse(false);
        engine.remove(containerId, force);
        for (Open o : List.copyOf(open.values())) {
            if (containerId.equals(o.helperKey())) {
                // a helper removed while it ran was reverted by the fault (rules deleted first); one that had
                // already ended (killed, or its deadline) may have left rules: those stay open for settle()
                if (o.undo().action() == Undo.Action.REMOVE_HELPER || wasRunning) {
                    close(o.seq());
                }
            }
        }
    }

    @Override
    public ExecResult exec(String containerId, List<String> command, Duration timeout) {
        if (!isHelper(containerId)) {
            guarded(containerId, "exec in");
        }
        return engine.exec(containerId, command, timeout);
    }

    /**
     * Swarm: a node's availability change is recorded with the availability it had; setting that one back
     * closes the entry (the fault's revert).
     */
    @Override
    public void updateNodeAvailability(String nodeId, NodeAvailability availability) {
        Optional<Open> before = open.values().stream()
                .filter(o -> o.undo().action() == Undo.Action.NODE_AVAILABILITY && o.undo().containerId().equals(nodeId))
                .findFirst();
        if (before.isPresent()) {
            engine.updateNodeAvailability(nodeId, availability);
            if (before.get().undo().comment().equals(availability.key())) {
                close(before.get().seq());
            }
            return;
        }
        SwarmNode node = engine.swarmNodes().stream().filter(n -> n.id().equals(nodeId)).findFirst()
                .orElseThrow(() -> new dev.faultline.core.engine.EngineException("no swarm node with id " + nodeId));
        Undo undo = Undo.nodeAvailability(node.id(), node.hostname(), node.availability().key(), engine.swarmApi());
        long seq = ledger.intent(fault, node.id(), node.hostname(), undo);
        open.put(seq, new Open(seq, undo, null));
        engine.updateNodeAvailability(nodeId, availability);
        ledger.confirmed(seq, null);
    }

    /** Swarm: a service's scaling is recorded with the replicas it had; scaling back to them closes the entry. */
    @Override
    public void scaleService(String serviceId, int replicas) {
        Optional<Open> before = open.values().stream()
                .filter(o -> o.undo().action() == Undo.Action.SCALE && o.undo().containerId().equals(serviceId))
                .findFirst();
        if (before.isPresent()) {
            engine.scaleService(serviceId, replicas);
            if (before.get().undo().quota() == replicas) {
                close(before.get().seq());
            }
            return;
        }
        SwarmService service = engine.swarmServices(Map.of()).stream().filter(s -> s.id().equals(serviceId)).findFirst()
                .orElseThrow(() -> new dev.faultline.core.engine.EngineException("no swarm service with id " + serviceId));
        Undo undo = Undo.scale(service.id(), service.name(), service.replicas(), engine.swarmApi());
        long seq = ledger.intent(fault, service.id(), service.name(), undo);
        open.put(seq, new Open(seq, undo, null));
        engine.scaleService(serviceId, replicas);
        ledger.confirmed(seq, null);
    }

    @Override
    public Optional<InetAddress> jvmAddressFor(String containerId) {
        return engine.jvmAddressFor(containerId);
    }

    @Override
    public List<SwarmNode> swarmNodes() {
        return engine.swarmNodes();
    }

    @Override
    public String swarmApi() {
        return engine.swarmApi();
    }

    @Override
    public List<SwarmService> swarmServices(Map<String, String> labels) {
        return engine.swarmServices(labels);
    }

    @Override
    public List<SwarmTask> swarmTasks(String service) {
        return engine.swarmTasks(service);
    }

    // ---- settle: whatever the fault's own revert did not undo

    /** Undoes this engine's still-open entries (newest first) and returns what was done; failures are thrown together. */
    List<String> settle() {
        List<String> done = new ArrayList<>();
        RuntimeException failure = null;
        List<Open> left = new ArrayList<>(open.values());
        left.sort(java.util.Comparator.comparingInt((Open o) -> o.undo().action().ordinal())
                .thenComparing(java.util.Comparator.comparingLong(Open::seq).reversed())); // as Undoer.ORDER
        for (Open o : left) {
            try {
                Undoer.undo(engine, o.undo(), runId).ifPresent(done::add);
                close(o.seq(), "settle");
            } catch (RuntimeException e) {
                RuntimeException f = new IllegalStateException("could not " + o.undo().describe() + ": " + e.getMessage(), e);
                if (failure == null) {
                    failure = f;
                } else {
                    failure.addSuppressed(f);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return done;
    }

    private void settleQuietly(RuntimeException cause) {
        try {
            settle();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    // ---- helpers

    private long intent(ContainerInfo c, Undo undo, String helperKey) {
        long seq = ledger.intent(fault, c.id(), c.name(), undo);
        open.put(seq, new Open(seq, undo, helperKey));
        return seq;
    }

    private void close(long seq) {
        close(seq, "revert");
    }

    private void close(long seq, String by) {
        if (open.remove(seq) != null) {
            ledger.reverted(seq, by);
        }
    }

    /** This engine's open entry of {@code action} on the container, if any. */
    private Optional<Open> openOn(Undo.Action action, String containerId) {
        return open.values().stream()
                .filter(o -> o.undo().action() == action && sameContainer(o.undo().containerId(), containerId))
                .findFirst();
    }

    private void closeMatching(Undo.Action action, String containerId) {
        for (Open o : List.copyOf(open.values())) {
            if (o.undo().action() == action && sameContainer(o.undo().containerId(), containerId)) {
                close(o.seq());
            }
        }
    }

    private static boolean sameContainer(String a, String b) {
        return a.equals(b) || (a.length() >= 12 && b.length() >= 12 && (a.startsWith(b) || b.startsWith(a)));
    }

    private boolean isHelper(String containerId) {
        if (open.values().stream().anyMatch(o -> containerId.equals(o.helperKey()))) {
            return true;
        }
        return Undoer.inspect(engine, containerId).map(c -> c.labels().containsKey(Helpers.RUN_ID)).orElse(false);
    }

    /** Inspects the container and refuses it when it is protected and the policy does not allow that. */
    private ContainerInfo guarded(String containerId, String what) {
        ContainerInfo c = engine.inspect(containerId);
        if (!policy.protectedAllowed() && "true".equalsIgnoreCase(c.labels().get(SafetyPolicy.PROTECT_LABEL))) {
            throw new SafetyRefusedException("refused to " + what + " container " + c.name() + ": it is labelled "
                    + SafetyPolicy.PROTECT_LABEL + "=true; nothing was done. If the experiment really means to touch it, "
                    + "say so with allowProtected() (SafetyPolicy.defaults().allowProtected() in core)");
        }
        return c;
    }

    // ---- reads: passed through

    @Override
    public EngineInfo info() {
        return engine.info();
    }

    @Override
    public void ping() {
        engine.ping();
    }

    @Override
    public List<ContainerInfo> containers(Map<String, String> labels, boolean includeStopped) {
        return engine.containers(labels, includeStopped);
    }

    @Override
    public ContainerInfo inspect(String containerId) {
        return engine.inspect(containerId);
    }

    @Override
    public boolean imageExists(String reference) {
        return engine.imageExists(reference);
    }

    @Override
    public void buildImage(Path contextDir, String tag, Map<String, String> buildArgs, Duration timeout) {
        engine.buildImage(contextDir, tag, buildArgs, timeout);
    }

    @Override
    public Optional<Integer> waitForExit(String containerId, Duration timeout) {
        return engine.waitForExit(containerId, timeout);
    }

    @Override
    public List<LogLine> logs(String containerId, Instant since, Instant until) {
        return engine.logs(containerId, since, until);
    }

    @Override
    public Closeable events(Map<String, String> labels, Consumer<EngineEvent> listener) {
        return engine.events(labels, listener);
    }

    @Override
    public ResourceUsage stats(String containerId) {
        return engine.stats(containerId);
    }
}
