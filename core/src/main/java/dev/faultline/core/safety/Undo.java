package dev.faultline.core.safety;

import java.util.Locale;
import java.util.Objects;

/**
 * How to undo one change a fault made, as data that a reaper script or a later JVM can act on
 * without the code that made the change.
 *
 * @param containerId   the container acted on (for {@link Action#REMOVE_HELPER}: the helper's id,
 *                      or its name until the engine gave it an id)
 * @param containerName its name, for messages
 * @param quota         {@link Action#RESTORE_CPU_QUOTA}: the CFS quota before, in µs ({@code <= 0}: no limit);
 *                      {@link Action#RESTORE_MEMORY_LIMIT}: the memory limit before, in bytes ({@code <= 0}: no limit)
 * @param period        {@link Action#RESTORE_CPU_QUOTA}: the CFS period before, in µs
 * @param comment       {@link Action#DELETE_RULES}: the netfilter comment prefix of the rules, {@code faultline:<run>:};
 *                      {@link Action#NODE_AVAILABILITY}: the availability to set back
 * @param api           for swarm actions, where the swarm manager's API answers for a reaper next to the run
 *                      ({@code http://10.0.0.5:2375}), empty when only the JVM can reach it
 */
public record Undo(Action action, String containerId, String containerName, long quota, long period, String comment, String api) {

    /** What to do, named as a ledger line spells it. */
    public enum Action {
        /** The container was paused: unpause it. */
        UNPAUSE,
        /** The container was running and a fault stopped it: start it. */
        START,
        /** A fault changed the CFS quota: put back {@code quota} per {@code period}. */
        RESTORE_CPU_QUOTA,
        /** A helper container was started: stop it with TERM (its trap undoes its change), then remove it. */
        REMOVE_HELPER,
        /**
         * A fault changed the memory limit: put back {@code quota} bytes ({@code <= 0}: no limit). After the helpers,
         * so that a stressor is gone before its target's limit is lifted or lowered.
         */
        RESTORE_MEMORY_LIMIT,
        /** Netfilter rules commented {@code comment*} were added in the container's network namespace: delete them. */
        DELETE_RULES,
        /** A swarm node's availability was changed: set it back to {@code comment} ({@code containerId}: the node's id). */
        NODE_AVAILABILITY,
        /** A swarm service was scaled: set its replicas back to {@code quota} ({@code containerId}: the service's id). */
        SCALE;

        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Action ofKey(String key) {
            return valueOf(key.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    public Undo {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(containerId, "containerId");
        containerName = containerName == null ? containerId : containerName;
        comment = comment == null ? "" : comment;
        api = api == null ? "" : api;
    }

    public Undo(Action action, String containerId, String containerName, long quota, long period, String comment) {
        this(action, containerId, containerName, quota, period, comment, "");
    }

    public static Undo unpause(String id, String name) {
        return new Undo(Action.UNPAUSE, id, name, 0, 0, "");
    }

    public static Undo start(String id, String name) {
        return new Undo(Action.START, id, name, 0, 0, "");
    }

    public static Undo restoreCpuQuota(String id, String name, long quota, long period) {
        return new Undo(Action.RESTORE_CPU_QUOTA, id, name, quota, period, "");
    }

    /** The container's memory limit goes back to {@code bytes} ({@code <= 0}: none). */
    public static Undo restoreMemoryLimit(String id, String name, long bytes) {
        return new Undo(Action.RESTORE_MEMORY_LIMIT, id, name, bytes, 0, "");
    }

    public static Undo removeHelper(String idOrName, String name) {
        return new Undo(Action.REMOVE_HELPER, idOrName, name, 0, 0, "");
    }

    public static Undo deleteRules(String id, String name, String comment) {
        return new Undo(Action.DELETE_RULES, id, name, 0, 0, comment);
    }

    /** A swarm node's availability goes back to {@code availability} (e.g. "active"). */
    public static Undo nodeAvailability(String nodeId, String hostname, String availability, String api) {
        return new Undo(Action.NODE_AVAILABILITY, nodeId, hostname, 0, 0, availability, api);
    }

    /** A swarm service's desired replicas go back to {@code replicas}. */
    public static Undo scale(String serviceId, String name, int replicas, String api) {
        return new Undo(Action.SCALE, serviceId, name, replicas, 0, "", api);
    }

    /** "memory limit 96 MiB", "no memory limit" for {@code <= 0}. */
    static String memoryLimit(long bytes) {
        return bytes <= 0 ? "no memory limit" : "memory limit " + size(bytes);
    }

    /** "96 MiB", or the bytes when not a whole MiB. */
    static String size(long bytes) {
        return bytes % (1L << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }

    /** In words, as recover prints it: "unpause web-1", "restore CPU quota 50000/100000 us of web-1". */
    public String describe() {
        return switch (action) {
            case UNPAUSE -> "unpause " + containerName;
            case START -> "start " + containerName + " (it was running and a fault stopped it)";
            case RESTORE_CPU_QUOTA -> "restore " + (quota > 0 ? "CPU quota " + quota + " us per " + period + " us" : "no CPU limit")
                    + " on " + containerName;
            case REMOVE_HELPER -> "remove helper " + containerName;
            case RESTORE_MEMORY_LIMIT -> "restore " + memoryLimit(quota) + " on " + containerName;
            case DELETE_RULES -> "delete netfilter rules commented " + comment + "* in " + containerName + "'s network namespace";
            case NODE_AVAILABILITY -> "set swarm node " + containerName + " back to " + comment;
            case SCALE -> "scale swarm service " + containerName + " back to " + quota + " replica(s)";
        };
    }
}
