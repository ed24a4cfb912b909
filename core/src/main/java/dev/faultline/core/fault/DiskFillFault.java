package dev.faultline.core.fault;

import dev.faultline.core.netfilter.RuleTag;
import dev.faultline.core.engine.ContainerInfo;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Fills the filesystem behind a path in a target (its root filesystem, a volume, a tmpfs) with one
 * file, up to a percentage of the filesystem's size or by a number of bytes, so that the target's
 * writes fail with "No space left on device". A helper in the target's PID namespace reaches its
 * files through {@code /proc/1/root}, allocates the file ({@code fallocate}, or {@code dd} where the
 * filesystem cannot), and deletes it on revert or at {@code duration}, even if the JVM died.
 *
 * <p>A container's root filesystem and its local volumes usually live on the Docker host's own disk,
 * so filling them fills the host's. The fault therefore refuses to write more than {@code maxBytes}
 * (1 GiB unless {@link #atMost} says otherwise); a small tmpfs or a dedicated volume is the safe
 * place to test "disk full" on a shared machine.
 *
 * <p>The helper shares the target's PID namespace, so it dies with the target's main process: if the
 * target crashes while the fault is on, nothing deletes the file (it stays in the container's writable
 * layer or volume, at the path the mechanism names) until the container is removed or someone deletes it.
 *
 * @param percent  fill until this percentage of the filesystem is used (1-100), or 0 to use {@code bytes}
 * @param bytes    with {@code percent} 0: how much to write (capped at what is available)
 * @param maxBytes the most the fault may write
 */
public record DiskFillFault(Targeting targeting, String path, int percent, long bytes, long maxBytes, Duration duration)
        implements PerContainerFaultSupport {

    public static final long DEFAULT_MAX_BYTES = 1L << 30;
    public static final long MAX_BYTES = 1L << 40;
    public static final Duration MAX_DURATION = Duration.ofHours(24);
    public static final Duration DEFAULT_DURATION = Duration.ofMinutes(10);
    static final int NOTHING_TO_DO = 5;
    static final int TOO_MUCH = 6;

    public DiskFillFault {
        Objects.requireNonNull(targeting, "targeting");
        Checks.text("path", path);
        if (!path.startsWith("/") || path.contains("..") || !path.matches("[A-Za-z0-9_./@+-]+")) {
            throw new IllegalArgumentException("path must be an absolute path of letters, digits and _./@+- without '..', got '" + path + "'");
        }
        Checks.between("percent", percent, 0, 100);
        if (percent == 0 && (bytes < 1 || bytes > MAX_BYTES)) {
            throw new IllegalArgumentException("bytes must be in [1, " + MAX_BYTES + "], got " + bytes);
        }
        if (maxBytes < 1 || maxBytes > MAX_BYTES) {
            throw new IllegalArgumentException("maxBytes must be in [1, " + MAX_BYTES + "], got " + maxBytes);
        }
        Checks.positive("duration", duration, MAX_DURATION);
    }

    /** Fills the filesystem holding {@code path} in {@code service} until {@code percent} of it is used. */
    public static DiskFillFault toPercent(String service, String path, int percent) {
        Checks.between("percent", percent, 1, 100);
        return new DiskFillFault(Targeting.all(service), path, percent, 0, DEFAULT_MAX_BYTES, DEFAULT_DURATION);
    }

    /** Writes {@code bytes} (at most what is available) to the filesystem holding {@code path} in {@code service}. */
    public static DiskFillFault bytes(String service, String path, long bytes) {
        return new DiskFillFault(Targeting.all(service), path, 0, bytes, DEFAULT_MAX_BYTES, DEFAULT_DURATION);
    }

    /** Allows writing up to {@code limit} bytes (default 1 GiB): the filesystem may be the Docker host's own disk. */
    public DiskFillFault atMost(long limit) {
        return new DiskFillFault(targeting, path, percent, bytes, limit, duration);
    }

    public DiskFillFault lasting(Duration d) {
        return new DiskFillFault(targeting, path, percent, bytes, maxBytes, d);
    }

    public DiskFillFault index(int index) {
        return new DiskFillFault(targeting.index(index), path, percent, bytes, maxBytes, duration);
    }

    public DiskFillFault limit(int max) {
        return new DiskFillFault(targeting.limit(max), path, percent, bytes, maxBytes, duration);
    }

    @Override
    public String kind() {
        return "disk-fill";
    }

    @Override
    public String describe() {
        return "fill the filesystem of " + path + " in " + targeting + (percent > 0 ? " to " + percent + "% used" : " with "
                + bytes + " bytes") + " (at most " + maxBytes + " bytes) for at most " + duration.toSeconds() + " s";
    }

    /**
     * Sizes and allocates the file; prints one line saying what it did. Exits {@value #NOTHING_TO_DO}
     * when the filesystem is already as full as asked, {@value #TOO_MUCH} when the fill exceeds maxBytes.
     */
    String setupScript(String file) {
        return String.join("\n",
                "set -e",
                "dir=/proc/1/root" + path,
                "[ -d \"$dir\" ] || { echo \"no directory " + path + " in the target\" >&2; exit 3; }",
                "read -r bs total avail <<< \"$(stat -f -c '%S %b %a' \"$dir\")\"",
                "size=$((bs * total)); free=$((bs * avail)); used=$((size - free))",
                percent > 0 ? "want=$(( size * " + percent + " / 100 - used ))" : "want=" + bytes,
                "[ $want -gt $free ] && want=$free",
                "[ $want -le 0 ] && { echo \"already $((used * 100 / size))% used of $size bytes: nothing to fill\" >&2; exit "
                        + NOTHING_TO_DO + "; }",
                "[ $want -gt " + maxBytes + " ] && { echo \"would write $want bytes, more than the allowed " + maxBytes
                        + " (atMost): this filesystem may be the Docker host's own disk\" >&2; exit " + TOO_MUCH + "; }",
                "echo \"$dir/" + file + "\" > /tmp/faultline-fill",
                "fallocate -l $want \"$dir/" + file + "\" 2>/dev/null"
                        + " || dd if=/dev/zero of=\"$dir/" + file + "\" bs=1M count=$((want / 1048576)) status=none",
                "read -r bs total avail <<< \"$(stat -f -c '%S %b %a' \"$dir\")\"",
                "echo \"wrote $want bytes to " + path + "/" + file + "; the filesystem ($((bs * total)) bytes) is now"
                        + " $(( (bs * total - bs * avail) * 100 / (bs * total) ))% used, $((bs * avail)) bytes free\"");
    }

    /** Deletes the file; succeeds when it is already gone. */
    static String cleanupScript() {
        return "[ -s /tmp/faultline-fill ] && rm -f \"$(cat /tmp/faultline-fill)\"; true";
    }

    @Override
    public Injection injectOne(FaultContext context, ContainerInfo c) {
        String file = ".faultline-fill-" + RuleTag.next(context.runId(), kind()).substring(RuleTag.PREFIX.length())
                .replace(':', '-');
        return NamespaceChange.hold(context, kind(), c, duration, setupScript(file), cleanupScript(),
                "{out} (helper in " + c.name() + "'s PID namespace, through /proc/1/root)", measure(c.name()),
                r -> r.withPidMode("container:" + c.id()));
    }

    /** The file's allocated bytes and the filesystem's use, read just before the file goes. */
    NamespaceChange.Measure measure(String target) {
        return new NamespaceChange.Measure(String.join("\n",
                "f=$(cat /tmp/faultline-fill 2>/dev/null); [ -n \"$f\" ] || exit 0",
                "a=$(stat -c '%b %B' \"$f\" 2>/dev/null | awk '{print $1 * $2}'); a=${a:-0}",
                "read -r bs total avail <<< \"$(stat -f -c '%S %b %a' \"$(dirname \"$f\")\")\"",
                "echo \"effect $a $((bs * total)) $((bs * avail))\""), lines -> {
            long[] v = lines.isEmpty() ? new long[3] : java.util.Arrays.stream(lines.get(0).split(" ")).mapToLong(Long::parseLong).toArray();
            long used = v[1] - v[2];
            long percentUsed = v[1] == 0 ? 0 : used * 100 / v[1];
            return Effect.of(v[0] > 0, "disk-fill " + target + ": " + v[0] + " bytes held in " + path + "; the filesystem was "
                            + percentUsed + "% used, " + v[2] + " bytes free",
                    "the fill file held no space when read (deleted by someone else, or the container restarted)",
                    List.of(Effect.count("bytes written", v[0], "B"), Effect.count("filesystem used", percentUsed, "%"),
                            Effect.count("bytes free", v[2], "B")));
        });
    }
}
