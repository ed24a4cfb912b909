package dev.faultline.core.fault;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ExecResult;
import dev.faultline.core.helper.Helper;
import dev.faultline.core.helper.HelperRequest;
import dev.faultline.core.helper.Helpers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Burns CPU inside a container's own budget: a helper runs {@code stress-ng --cpu N} nested under
 * the target's cgroup (so the target's CPU accounting and quota include the burners) and in its PID
 * namespace (so {@code top} in the target shows them). Ends by itself after {@code duration};
 * revert removes the helper earlier.
 *
 * <p>The target's cgroup is read from its {@code /proc/1/cgroup}. With cgroup v1 (cgroupfs driver:
 * {@code /docker/<id>}) the helper nests under it. With cgroup v2 a cgroup that holds processes
 * cannot have children with controllers, so there the burners run beside the target, sharing its
 * PID namespace but not its cgroup; the mechanism says so. {@link CpuQuotaFault} works on both.
 *
 * @param load percent of each burner's CPU time, 1-100
 */
public record CpuStressFault(Targeting targeting, int burners, Duration duration, int load) implements PerContainerFaultSupport {

    public static final int MAX_BURNERS = 64;
    public static final Duration MAX_DURATION = Duration.ofHours(24);

    public CpuStressFault {
        Objects.requireNonNull(targeting, "targeting");
        Checks.between("burners", burners, 1, MAX_BURNERS);
        Checks.positive("duration", duration, MAX_DURATION);
        if (duration.toMillis() < 1000) {
            throw new IllegalArgumentException("duration must be in [PT1S, " + MAX_DURATION + "], got " + duration);
        }
        Checks.between("load", load, 1, 100);
    }

    public static CpuStressFault of(String service, int burners, Duration duration) {
        return new CpuStressFault(Targeting.all(service), burners, duration, 100);
    }

    /** Each burner busy this percent of the time instead of 100. */
    public CpuStressFault load(int percent) {
        return new CpuStressFault(targeting, burners, duration, percent);
    }

    public CpuStressFault index(int index) {
        return new CpuStressFault(targeting.index(index), burners, duration, load);
    }

    public CpuStressFault limit(int max) {
        return new CpuStressFault(targeting.limit(max), burners, duration, load);
    }

    @Override
    public String kind() {
        return "cpu-stress";
    }

    @Override
    public String describe() {
        return burners + " CPU burner(s)" + (load < 100 ? " at " + load + "%" : "") + " in " + targeting
                + " for " + duration.toSeconds() + " s";
    }

    @Override
    public Injection injectOne(FaultContext context, ContainerInfo c) {
        Optional<String> cgroup = cgroupV1Path(context, c);
        long seconds = Math.max(1, duration.toSeconds());
        List<String> command = new ArrayList<>(List.of("stress-ng", "--cpu", Integer.toString(burners),
                "--timeout", seconds + "s"));
        if (load < 100) {
            command.addAll(List.of("--cpu-load", Integer.toString(load)));
        }
        // the helper's own deadline leaves stress-ng time to stop its workers cleanly first
        HelperRequest request = HelperRequest.of(context.runId(), kind(), c, duration.plusSeconds(10), outlivingItsWork(command))
                .withPidMode("container:" + c.id());
        if (cgroup.isPresent()) {
            request = request.withCgroupParent(cgroup.get());
        }
        long before = Cgroups.cpuNanos(context.engine(), c.id());
        Instant at = Instant.now();
        Helper helper = Helpers.on(context.engine()).start(request);
        String placement = cgroup.map(p -> "nested under the target's cgroup " + p + " (charged to it)")
                .orElse("beside the target (cgroup v2 or unknown cgroup: NOT charged to the target's cgroup)");
        String mechanism = "stress-ng --cpu " + burners + (load < 100 ? " --cpu-load " + load : "") + " for "
                + seconds + " s in helper " + helper.name() + ", in " + c.name() + "'s PID namespace, " + placement
                + "; ends by itself, reverted early by removing the helper";
        boolean charged = cgroup.isPresent();
        return SimpleInjection.reverting(mechanism, List.of(c.name()), at, helper::remove)
                .measuredBy(() -> effect(context, c, helper, before, at, charged));
    }

    /**
     * CPU time the burners used (their own cgroup) and the target's cgroup used over the window: with the
     * burners nested under it, the target's figure includes them, and what is left is its own processes'.
     */
    Effect effect(FaultContext context, ContainerInfo c, Helper helper, long targetBefore, Instant at, boolean charged) {
        long window = Math.max(1, Duration.between(at, Instant.now()).toMillis());
        long burnerNanos = Cgroups.cpuNanos(context.engine(), helper.id());
        if (burnerNanos < 0) {
            return Effect.notMeasured("could not read the CPU time of helper " + helper.name() + " (it may have ended at its deadline)");
        }
        long burners = burnerNanos / 1_000_000;
        long target = targetBefore < 0 ? -1 : Math.max(0, Cgroups.cpuNanos(context.engine(), c.id()) - targetBefore) / 1_000_000;
        List<Effect.Counter> counters = new ArrayList<>(List.of(Effect.count("burner CPU time", burners, "ms"),
                Effect.count("window", window, "ms")));
        String targetPart;
        if (target < 0) {
            targetPart = c.name() + "'s own CPU time could not be read";
        } else {
            counters.add(Effect.count("target CPU time", target, "ms"));
            targetPart = charged
                    ? c.name() + "'s cgroup used " + cpu(target) + " including them (its own processes " + cpu(Math.max(0, target - burners)) + ")"
                    : c.name() + "'s cgroup used " + cpu(target) + ", NOT including them: on cgroup v2 the burners run beside the"
                            + " target and are not charged to it";
        }
        return Effect.of(burners > 0, "cpu-stress " + c.name() + ": the burners used " + cpu(burners) + " of CPU in "
                        + cpu(window).replace(" CPU-s", " s") + "; " + targetPart,
                "the burners used no CPU time: stress-ng did not run (helper " + helper.name() + ")", counters);
    }

    private static String cpu(long millis) {
        return String.format(java.util.Locale.ROOT, "%.1f CPU-s", millis / 1000.0);
    }

    /**
     * {@code command}, then a wait until the helper's deadline: a fault reverted right when its stressor ends
     * (the DSL's lasting = the stress's duration) still finds the helper, and its cgroup's counters, to read
     * its effect from; without it the helper is often gone (removed at exit) by the time the revert reads.
     */
    static List<String> outlivingItsWork(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("bash", "-c", "\"$@\"; sleep 3600", "stressor"));
        wrapped.addAll(command);
        return wrapped;
    }

    /**
     * The target's cgroup v1 path ({@code /docker/<id>} with the cgroupfs driver), read from its
     * {@code /proc/1/cgroup}; empty on cgroup v2, where a helper cannot nest under it.
     */
    static Optional<String> cgroupV1Path(FaultContext context, ContainerInfo c) {
        ExecResult r;
        try {
            r = context.engine().exec(c.id(), List.of("cat", "/proc/1/cgroup"), Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (!r.ok()) {
            return Optional.empty();
        }
        return parseCgroupV1(r.stdout());
    }

    /** The path of the {@code cpu} (or {@code cpuacct}) controller line of a {@code /proc/<pid>/cgroup}. */
    static Optional<String> parseCgroupV1(String procCgroup) {
        for (String line : procCgroup.split("\n")) {
            String[] parts = line.strip().split(":", 3);
            if (parts.length == 3 && List.of(parts[1].split(",")).contains("cpu") && parts[2].length() > 1) {
                return Optional.of(parts[2]);
            }
        }
        for (String line : procCgroup.split("\n")) {
            String[] parts = line.strip().split(":", 3);
            if (parts.length == 3 && List.of(parts[1].split(",")).contains("cpuacct") && parts[2].length() > 1) {
                return Optional.of(parts[2]);
            }
        }
        return Optional.empty();
    }
}
