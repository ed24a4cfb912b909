package dev.faultline.core.fault;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.helper.HelperRequest;
import dev.faultline.core.helper.Helpers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Crashes a container's main process: SIGKILL to its PID 1 sent from <em>outside</em> its PID
 * namespace, by a helper in the host's PID namespace signalling the host PID that inspect reports.
 *
 * <p>This is the way to test restart behaviour. Docker sees an exit it did not cause (code 137)
 * and applies the restart policy. An API kill ({@link KillFault}) or stop is a manual stop that
 * Docker never restarts, and {@code kill -9 1} inside the container is ignored because a PID
 * namespace's init only receives signals it has handlers for from inside.
 *
 * <p>Before killing, the helper checks that the PID still belongs to the container (its
 * {@code /proc/<pid>/cgroup} names the container id), so a PID reused after a restart is never
 * killed. When this JVM itself runs in the host PID namespace as root (next to the engine), it sends the
 * signal directly instead, after the same check, saving the helper's start (~0.3 s); system property
 * {@value #DIRECT_PROPERTY}=false turns that off. One-shot: closing the injection does nothing.
 */
public record CrashFault(Targeting targeting) implements PerContainerFaultSupport {

    static final Duration HELPER_DEADLINE = Duration.ofSeconds(30);
    static final Duration HELPER_WAIT = Duration.ofSeconds(60);
    /** Exit code of the helper script when the PID no longer belongs to the container. */
    static final int PID_MOVED = 3;
    /** Set to false to always go through the helper container (the fast path's fallback). */
    public static final String DIRECT_PROPERTY = "faultline.crash.direct";

    public CrashFault {
        java.util.Objects.requireNonNull(targeting, "targeting");
    }

    public static CrashFault of(String service) {
        return new CrashFault(Targeting.all(service));
    }

    /** Only the container at this index (0-based, in Compose container-number order). */
    public CrashFault index(int index) {
        return new CrashFault(targeting.index(index));
    }

    /** At most this many containers of the service. */
    public CrashFault limit(int max) {
        return new CrashFault(targeting.limit(max));
    }

    @Override
    public String kind() {
        return "crash";
    }

    @Override
    public String describe() {
        return "crash " + targeting + " (SIGKILL to its main process from outside the container; Docker applies the restart policy)";
    }

    @Override
    public Injection injectOne(FaultContext context, ContainerInfo listed) {
        Engine engine = context.engine();
        ContainerInfo c = engine.inspect(listed.id());
        if (!c.running() || c.hostPid() <= 0) {
            throw new FaultException("crash " + c.name() + ": nothing done, it has no main process to kill (it is "
                    + context.stateOf(c) + ", host pid " + c.hostPid() + ")");
        }
        int pid = c.hostPid();
        Injection direct = killDirectly(engine, c, pid);
        if (direct != null) {
            return direct;
        }
        String script = "grep -q '" + c.id() + "' /proc/" + pid + "/cgroup 2>/dev/null || exit " + PID_MOVED + "; "
                + "kill -KILL " + pid + " && echo killed " + pid;
        HelperRequest request = HelperRequest.of(context.runId(), kind(), c, HELPER_DEADLINE, List.of("sh", "-c", script))
                .withPidMode("host");
        Instant at = Instant.now();
        Helpers.Finished finished = Helpers.on(engine).runToEnd(request, HELPER_WAIT);
        if (finished.exitCode() == PID_MOVED) {
            throw new FaultException("crash " + c.name() + ": nothing done, host PID " + pid
                    + " no longer belongs to the container (it exited or restarted between inspect and kill)");
        }
        if (finished.exitCode() != 0) {
            throw new FaultException("crash " + c.name() + ": helper " + finished.name() + " could not SIGKILL host PID "
                    + pid + " (exit " + finished.exitCode() + "): " + finished.output());
        }
        String mechanism = "SIGKILL to host PID " + pid + " (PID 1 of " + c.name() + ") from helper " + finished.name()
                + " in the host PID namespace; " + whatFollows(c);
        return SimpleInjection.oneShot(mechanism, List.of(c.name()), at)
                .measuredBy(() -> Lifecycles.death(engine, c, kind(), Lifecycles.DEATH_WAIT));
    }

    /**
     * The fast path, when this JVM runs in the host's PID namespace with the right to signal the container's
     * process (as root next to the engine): the same SIGKILL from outside, without a helper container, whose
     * start costs ~0.3 s (benchmarks: BENCHMARKS.md, fault timing). Taken only when {@code /proc/<pid>/cgroup}
     * seen from here names the container, so a JVM in another PID namespace (where the number means another
     * process) or on another host falls back to the helper. Null when not taken.
     */
    private Injection killDirectly(Engine engine, ContainerInfo c, int pid) {
        if (!Boolean.parseBoolean(System.getProperty(DIRECT_PROPERTY, "true"))) {
            return null;
        }
        java.nio.file.Path cgroup = java.nio.file.Path.of("/proc", Integer.toString(pid), "cgroup");
        try {
            if (!java.nio.file.Files.isReadable(cgroup) || !java.nio.file.Files.readString(cgroup).contains(c.id())) {
                return null;
            }
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
        // the handle records the process's start time and destroy checks it, so a reused PID is never signalled
        java.util.Optional<ProcessHandle> process = ProcessHandle.of(pid);
        Instant at = Instant.now();
        if (process.isEmpty() || !process.get().destroyForcibly()) {
            return null;
        }
        String mechanism = "SIGKILL to host PID " + pid + " (PID 1 of " + c.name() + ") sent by this JVM, which runs"
                + " in the host PID namespace; " + whatFollows(c);
        return SimpleInjection.oneShot(mechanism, List.of(c.name()), at)
                .measuredBy(() -> Lifecycles.death(engine, c, kind(), Lifecycles.DEATH_WAIT));
    }

    /**
     * Who brings it back: a swarm task's container has no restart policy of its own (the node's engine runs it
     * with "no"); its service's orchestrator replaces the task with a new container, perhaps on another node.
     */
    static String whatFollows(ContainerInfo c) {
        if (c.labels().containsKey("com.docker.swarm.task.id")) {
            return "the task's container exits (137) and its swarm service replaces the task with a new container";
        }
        return "Docker sees a crash (exit 137) and applies restart policy '" + c.restartPolicy() + "' ("
                + (c.restartPolicy().restartsAfterCrash() ? "it restarts" : "it stays exited") + ")";
    }
}
