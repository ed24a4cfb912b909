package dev.faultline.core.helper;

import dev.faultline.core.engine.ContainerInfo;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one helper container should do, next to which target, for how long at most.
 * Built with {@link #of} and the {@code with...} steps, each returning a new value.
 *
 * @param fault        the fault kind, e.g. {@code crash}; becomes the {@code faultline.fault} label
 * @param deadline     the helper ends by itself after this long, whatever happens to the JVM
 * @param pidMode      {@code host}, {@code container:<id>} or null for its own PID namespace
 * @param networkMode  {@code container:<id>}, {@code none} or null for the default network
 * @param cgroupParent the cgroup to nest the helper under (to charge its work to a target), or null
 */
public record HelperRequest(
        String runId,
        String fault,
        ContainerInfo target,
        Duration deadline,
        List<String> command,
        String pidMode,
        String networkMode,
        List<String> capAdd,
        String cgroupParent) {

    /** Longest deadline a helper accepts: a day; a fault that should last longer is a mistake. */
    public static final Duration MAX_DEADLINE = Duration.ofHours(24);

    public HelperRequest {
        requireText("runId", runId);
        requireText("fault", fault);
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero() || deadline.compareTo(MAX_DEADLINE) > 0) {
            throw new IllegalArgumentException("deadline must be in (0, " + MAX_DEADLINE + "], got " + deadline);
        }
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command must not be empty");
        }
        capAdd = List.copyOf(capAdd);
    }

    /** A helper in its own namespaces; {@code target} may be null for helpers that act on no container. */
    public static HelperRequest of(String runId, String fault, ContainerInfo target, Duration deadline, List<String> command) {
        return new HelperRequest(runId, fault, target, deadline, command, null, null, List.of(), null);
    }

    public HelperRequest withPidMode(String mode) {
        return new HelperRequest(runId, fault, target, deadline, command, mode, networkMode, capAdd, cgroupParent);
    }

    public HelperRequest withNetworkMode(String mode) {
        return new HelperRequest(runId, fault, target, deadline, command, pidMode, mode, capAdd, cgroupParent);
    }

    public HelperRequest withCapAdd(String... caps) {
        return new HelperRequest(runId, fault, target, deadline, command, pidMode, networkMode, List.of(caps), cgroupParent);
    }

    public HelperRequest withCgroupParent(String parent) {
        return new HelperRequest(runId, fault, target, deadline, command, pidMode, networkMode, capAdd, parent);
    }

    /**
     * The command as the container runs it: under coreutils {@code timeout}, which sends TERM at
     * the deadline (so a script can undo what it did in a trap) and KILL five seconds later.
     */
    public List<String> boundedCommand() {
        long seconds = Math.max(1, (deadline.toMillis() + 999) / 1000);
        var bounded = new java.util.ArrayList<String>(command.size() + 5);
        bounded.addAll(List.of("timeout", "-k", "5", seconds + "s"));
        bounded.addAll(command);
        return List.copyOf(bounded);
    }

    private static void requireText(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be non-blank, got '" + value + "'");
        }
    }
}
