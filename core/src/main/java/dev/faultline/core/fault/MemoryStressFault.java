package dev.faultline.core.fault;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.helper.Helper;
import dev.faultline.core.helper.HelperRequest;
import dev.faultline.core.helper.Helpers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Memory pressure inside a container's own memory budget: a helper runs {@code stress-ng --vm}
 * nested under the target's cgroup (so the target's memory accounting and limit include what it
 * takes) and in its PID namespace. Two modes:
 * <ul>
 * <li>{@link #of stress}: holds {@code bytes} (below the limit) for {@code duration}; the target's own
 * processes have that much less room, so its page cache shrinks and its allocations may fail or
 * trigger the OOM killer;</li>
 * <li>{@link #oom}: the target's own processes are made the OOM killer's first choice
 * ({@code oom_score_adj} 1000; the stressor keeps 0) and the stressor allocates twice the limit, so
 * the kernel kills them, largest first, until the container's main process dies: the container exits
 * 137, Docker records {@code OOMKilled} and applies its restart policy, and the stressor (in the
 * target's PID namespace) dies with it. Measured on Docker 20.10: when the OOM killer takes the
 * stressor instead, Docker only emits an {@code oom} event and {@code State.OOMKilled} stays false,
 * because it is set when the container exits after an OOM event, not by the event itself.</li>
 * </ul>
 *
 * <p>Never a threat to the host: the target must have a memory limit (the stressor is charged to
 * it, so the kernel stops it there), or {@link #withTemporaryLimit} gives it one through the API for
 * the fault's length, restored on revert. Needs cgroup v1 (as with the cgroupfs driver): on cgroup v2
 * a helper cannot nest under the target's cgroup, and an unlimited stressor beside it is refused.
 * The stressor ends at {@code duration} by itself; a temporary limit, though, is set through the API
 * and stays until something sets it back: the revert, or, if the JVM dies mid-fault, the run's reaper
 * or {@code Recover}, which find it in the ledger (a guarded run's engine records the limit it had).
 * Injected outside a run (no ledger), only the revert restores it.
 *
 * @param bytes          what the stress holds; ignored by the OOM mode (twice the limit)
 * @param temporaryLimit the limit to give a target that has none (0: refuse such a target)
 */
public record MemoryStressFault(Targeting targeting, long bytes, boolean oom, long temporaryLimit, Duration duration)
        implements PerContainerFaultSupport {

    public static final long MIN_BYTES = 1L << 20;
    public static final long MAX_BYTES = 64L << 30;
    /** Docker's own minimum memory limit is 6 MiB; a useful target needs more. */
    public static final long MIN_LIMIT = 16L << 20;
    public static final Duration MAX_DURATION = Duration.ofHours(24);
    public static final Duration OOM_DURATION = Duration.ofSeconds(60);

    public MemoryStressFault {
        Objects.requireNonNull(targeting, "targeting");
        if (bytes < MIN_BYTES || bytes > MAX_BYTES) {
            throw new IllegalArgumentException("bytes must be in [" + MIN_BYTES + ", " + MAX_BYTES + "], got " + bytes);
        }
        if (temporaryLimit != 0 && (temporaryLimit < MIN_LIMIT || temporaryLimit > MAX_BYTES)) {
            throw new IllegalArgumentException("temporaryLimit must be 0 (none) or in [" + MIN_LIMIT + ", " + MAX_BYTES + "], got "
                    + temporaryLimit);
        }
        Checks.positive("duration", duration, MAX_DURATION);
        if (duration.toMillis() < 1000) {
            throw new IllegalArgumentException("duration must be in [PT1S, " + MAX_DURATION + "], got " + duration);
        }
    }

    /** Holds {@code bytes} of memory in {@code service}'s containers for {@code duration}; {@code bytes} must stay below their limit. */
    public static MemoryStressFault of(String service, long bytes, Duration duration) {
        return new MemoryStressFault(Targeting.all(service), bytes, false, 0, duration);
    }

    /** Allocates past {@code service}'s memory limit until the kernel's OOM killer kills its main process (at most 60 s). */
    public static MemoryStressFault oom(String service) {
        return new MemoryStressFault(Targeting.all(service), MIN_BYTES, true, 0, OOM_DURATION);
    }

    /** A target without a memory limit gets this one (bytes) for the fault's length instead of being refused. */
    public MemoryStressFault withTemporaryLimit(long limitBytes) {
        return new MemoryStressFault(targeting, bytes, oom, limitBytes, duration);
    }

    public MemoryStressFault lasting(Duration d) {
        return new MemoryStressFault(targeting, bytes, oom, temporaryLimit, d);
    }

    public MemoryStressFault index(int index) {
        return new MemoryStressFault(targeting.index(index), bytes, oom, temporaryLimit, duration);
    }

    public MemoryStressFault limit(int max) {
        return new MemoryStressFault(targeting.limit(max), bytes, oom, temporaryLimit, duration);
    }

    @Override
    public String kind() {
        return oom ? "oom" : "memory-stress";
    }

    @Override
    public String describe() {
        return (oom ? "OOM kill in " + targeting + " (allocating past its memory limit)"
                : mib(bytes) + " of memory held in " + targeting + " for " + duration.toSeconds() + " s")
                + (temporaryLimit > 0 ? " (a target without a limit gets " + mib(temporaryLimit) + " meanwhile)" : "");
    }

    static String mib(long bytes) {
        return bytes % (1L << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }

    /** A measured size, which is rarely a whole number of MiB: "69.5 MiB". */
    static String measuredMib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    /**
     * The helper's command for a target whose limit is {@code limit} bytes. The OOM mode first raises
     * the {@code oom_score_adj} of every process of the target (not its own: they are in another
     * cgroup) to 1000, saving the old values for revert; raising needs no capability.
     */
    List<String> command(long limit) {
        long seconds = Math.max(1, duration.toSeconds());
        if (!oom) {
            // --vm-hang 0: allocate and touch once, then hold without burning CPU
            return List.of("stress-ng", "--vm", "1", "--vm-keep", "--vm-bytes", Long.toString(bytes), "--vm-hang", "0",
                    "--timeout", seconds + "s");
        }
        return List.of("bash", "-c", String.join("\n",
                "self=$(cat /proc/self/cgroup); n=0",
                "for d in /proc/[0-9]*; do",
                "  [ \"$(cat $d/cgroup 2>/dev/null)\" = \"$self\" ] && continue",
                "  a=$(cat $d/oom_score_adj 2>/dev/null) || continue",
                "  echo 1000 > $d/oom_score_adj 2>/dev/null && { echo \"${d#/proc/} $a\" >> /tmp/faultline-adj; n=$((n+1)); }",
                "done",
                "echo \"made $n process(es) of the target the OOM killer's first choice\"",
                // --no-oom-adjust: the stressor keeps score 0; --oomable: not respawned should the kernel take it anyway
                "exec stress-ng --no-oom-adjust --oomable --vm 1 --vm-keep --vm-bytes " + 2 * limit + " --timeout " + seconds + "s"),
                "oom");
    }

    /** Puts back the oom_score_adj values the OOM mode raised, for processes still alive. */
    static String restoreScoresScript() {
        return "[ -f /tmp/faultline-adj ] || exit 0; while read -r p a; do echo \"$a\" > /proc/$p/oom_score_adj 2>/dev/null; done"
                + " < /tmp/faultline-adj; true";
    }

    @Override
    public Injection injectOne(FaultContext context, ContainerInfo c) {
        Engine engine = context.engine();
        Optional<String> cgroup = CpuStressFault.cgroupV1Path(context, c);
        if (cgroup.isEmpty()) {
            throw new FaultException(kind() + " " + c.name() + ": nothing done, its cgroup is not a cgroup v1 path, so the stressor"
                    + " could not be charged to it (and would only be bounded by the host's memory)");
        }
        long original = engine.memoryLimit(c.id());
        long limit = original;
        if (original == 0) {
            if (temporaryLimit == 0) {
                throw new FaultException(kind() + " " + c.name() + ": nothing done, the container has no memory limit, so a memory"
                        + " stress would only be bounded by the host's memory; give it one (Compose mem_limit) or use"
                        + " withTemporaryLimit(bytes)");
            }
            limit = temporaryLimit;
        }
        if (!oom && bytes >= limit) {
            throw new FaultException(kind() + " " + c.name() + ": nothing done, bytes " + bytes + " must stay below the memory limit "
                    + limit + " (use MemoryStressFault.oom to go past it)");
        }
        Runnable restore = () -> {};
        if (original == 0) {
            engine.updateMemoryLimit(c.id(), temporaryLimit);
            restore = () -> engine.updateMemoryLimit(c.id(), 0);
        }
        HelperRequest request = HelperRequest.of(context.runId(), kind(), c, duration.plusSeconds(10),
                        oom ? command(limit) : CpuStressFault.outlivingItsWork(command(limit)))
                .withPidMode("container:" + c.id())
                .withCgroupParent(cgroup.get());
        Instant at = Instant.now();
        Helper helper;
        try {
            helper = Helpers.on(engine).start(request);
        } catch (RuntimeException e) {
            throw SimpleInjection.undoing(e, restore);
        }
        Runnable restoreLimit = restore;
        String limitNote = original == 0 ? "a temporary memory limit of " + mib(limit) + " set through the API (restored to none on revert)"
                : "its memory limit of " + mib(limit);
        String mechanism = (oom ? "the target's processes made the OOM killer's first choice (oom_score_adj 1000) and stress-ng --vm"
                + " allocating " + mib(2 * limit) + " (twice the limit) until the kernel kills the main process"
                : "stress-ng --vm holding " + mib(bytes) + " for " + duration.toSeconds() + " s") + " in helper " + helper.name()
                + ", nested under " + c.name() + "'s cgroup " + cgroup.get() + " and charged to " + limitNote
                + "; reverted by removing the helper";
        long limitForEffect = limit;
        return SimpleInjection.reverting(mechanism, List.of(c.name()), at, () -> {
            try {
                if (oom) {
                    try {
                        helper.exec(List.of("bash", "-c", restoreScoresScript()), Duration.ofSeconds(10));
                    } catch (RuntimeException ignored) {
                        // the helper is gone: it died with the target's PID namespace, and so did the processes it changed
                    }
                }
                helper.remove();
            } finally {
                restoreLimit.run();
            }
        }).measuredBy(() -> oom ? Lifecycles.death(engine, c, kind(), Duration.ofSeconds(1))
                : held(engine, c, helper, limitForEffect));
    }

    /** What the stressor holds, from its own cgroup (charged to the target's), and how often the target hit its limit. */
    Effect held(Engine engine, ContainerInfo c, Helper helper, long limit) {
        long held = Cgroups.memoryPeakBytes(engine, helper.id());
        if (held < 0) {
            return Effect.notMeasured("could not read the memory of helper " + helper.name() + " (it may have ended at its deadline)");
        }
        long failcnt = Cgroups.memoryFailcnt(engine, c.id());
        // the helper's cgroup peak: the held pages plus stress-ng's own processes and page cache, so above what was asked
        return Effect.of(held >= bytes / 2, "memory-stress " + c.name() + ": the stressor's cgroup peaked at " + measuredMib(held)
                        + " (stress-ng itself included) for the " + mib(bytes) + " asked, charged to a limit of " + mib(limit) + (failcnt >= 0 ? "; the target's cgroup hit its limit " + failcnt
                        + " time(s) since it started" : ""),
                "the stressor held only " + measuredMib(held) + " of " + mib(bytes) + ": it was not running or the kernel reclaimed it",
                List.of(Effect.count("bytes held", held, "B"), Effect.count("limit", limit, "B"),
                        Effect.count("limit hits", Math.max(0, failcnt), "")));
    }

}
