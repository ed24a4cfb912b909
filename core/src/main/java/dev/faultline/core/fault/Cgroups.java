package dev.faultline.core.fault;

import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.ExecResult;
import java.time.Duration;
import java.util.List;

/**
 * Reads a container's own cgroup counters from inside it: Docker mounts the container's cgroup at
 * {@code /sys/fs/cgroup} (cgroup v1: one folder per controller; v2: one unified folder), so an exec of
 * {@code cat} there reads exactly that container's figures. -1 when they cannot be read (no {@code cat},
 * not running).
 */
final class Cgroups {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Cgroups() {}

    /** Cumulative CPU time in nanoseconds. */
    static long cpuNanos(Engine engine, String containerId) {
        return number(read(engine, containerId, "cat /sys/fs/cgroup/cpuacct/cpuacct.usage 2>/dev/null"
                + " || cat /sys/fs/cgroup/cpu,cpuacct/cpuacct.usage 2>/dev/null"
                + " || awk '/^usage_usec/ {print $2 * 1000}' /sys/fs/cgroup/cpu.stat"));
    }

    /** {@code [throttled periods, throttled nanoseconds]} since the cgroup was made. */
    static long[] throttled(Engine engine, String containerId) {
        String stat = read(engine, containerId, "cat /sys/fs/cgroup/cpu/cpu.stat 2>/dev/null || cat /sys/fs/cgroup/cpu,cpuacct/cpu.stat"
                + " 2>/dev/null || cat /sys/fs/cgroup/cpu.stat");
        return new long[] {field(stat, "nr_throttled", 1), Math.max(field(stat, "throttled_time", 1), field(stat, "throttled_usec", 1000))};
    }

    /** The most memory charged to the cgroup at any time since it was made, in bytes (v2 without memory.peak: now). */
    static long memoryPeakBytes(Engine engine, String containerId) {
        return number(read(engine, containerId, "cat /sys/fs/cgroup/memory/memory.max_usage_in_bytes 2>/dev/null"
                + " || cat /sys/fs/cgroup/memory.peak 2>/dev/null || cat /sys/fs/cgroup/memory.current"));
    }

    /** How many times the cgroup hit its memory limit (v1 {@code failcnt}, v2 {@code max} events). */
    static long memoryFailcnt(Engine engine, String containerId) {
        return number(read(engine, containerId, "cat /sys/fs/cgroup/memory/memory.failcnt 2>/dev/null"
                + " || awk '/^max / {print $2}' /sys/fs/cgroup/memory.events"));
    }

    private static String read(Engine engine, String containerId, String script) {
        try {
            ExecResult r = engine.exec(containerId, List.of("sh", "-c", script), TIMEOUT);
            return r.ok() ? r.stdout().strip() : "";
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static long number(String s) {
        try {
            return Long.parseLong(s.lines().findFirst().orElse("").strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long field(String stat, String name, long scale) {
        return stat.lines().map(String::strip).filter(l -> l.startsWith(name + " ")).findFirst()
                .map(l -> Long.parseLong(l.substring(name.length()).strip()) * scale).orElse(-1L);
    }
}
