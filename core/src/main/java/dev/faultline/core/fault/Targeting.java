package dev.faultline.core.fault;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.target.TargetNotFoundException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which containers of a service a fault acts on: all of them by default, or the one at {@code index}
 * (0-based, in Compose container-number order), or at most {@code limit} of them.
 *
 * <p><b>The cap (production guard):</b> "all" touches at most {@value #DEFAULT_LIMIT} containers. A
 * service with more is refused before anything is touched, so that a typo'd or scaled-up service never
 * turns one fault into an outage of dozens of containers; {@link #limit(int)} says explicitly how many
 * at most may be touched (up to {@value #MAX_LIMIT}), and then the first that many are.
 *
 * @param index -1 for "all"
 * @param limit at most this many containers; {@value #DEFAULT_LIMIT} when not chosen (then more is refused)
 */
public record Targeting(String service, int index, int limit) {

    public static final int MAX_LIMIT = 1000;
    /** How many containers one fault may touch unless {@link #limit(int)} says otherwise. */
    public static final int DEFAULT_LIMIT = 10;

    public Targeting {
        Checks.service(service);
        if (index < -1) {
            throw new IllegalArgumentException("index must be >= 0 (or -1 for all containers), got " + index);
        }
        Checks.between("limit", limit, 1, MAX_LIMIT);
    }

    public static Targeting all(String service) {
        return new Targeting(service, -1, DEFAULT_LIMIT);
    }

    public Targeting index(int i) {
        if (i < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + i);
        }
        return new Targeting(service, i, limit);
    }

    public Targeting limit(int n) {
        return new Targeting(service, index, n);
    }

    /**
     * The chosen containers, each checked to be running before anything is touched.
     *
     * @throws FaultException when the service has no container, the index is out of range, or a
     *                        chosen container is not running
     */
    public List<ContainerInfo> resolve(FaultContext context, String faultName) {
        List<ContainerInfo> all;
        try {
            all = context.targets().containers(service).stream()
                    .sorted(Comparator.comparingInt(ContainerInfo::number).thenComparing(ContainerInfo::name))
                    .toList();
        } catch (TargetNotFoundException e) {
            throw new FaultException(faultName + ": " + e.getMessage(), e);
        }
        if (all.isEmpty()) {
            throw new FaultException(faultName + ": service '" + service + "' has no container; is the stack up?");
        }
        List<ContainerInfo> chosen;
        if (index >= 0) {
            if (index >= all.size()) {
                throw new FaultException(faultName + ": service '" + service + "' has " + all.size()
                        + " container(s), index " + index + " is out of range [0, " + (all.size() - 1) + "]");
            }
            chosen = List.of(all.get(index));
        } else {
            if (limit == DEFAULT_LIMIT && all.size() > DEFAULT_LIMIT) {
                throw new FaultException(faultName + ": refused, nothing done: service '" + service + "' has " + all.size()
                        + " containers, more than the default cap of " + DEFAULT_LIMIT + " containers per fault; to touch them,"
                        + " say how many at most with limit(n) (n in [1, " + MAX_LIMIT + "]), e.g. limit(" + all.size() + ")");
            }
            chosen = all.stream().limit(limit).toList();
        }
        List<ContainerInfo> notRunning = chosen.stream().filter(c -> !c.running()).toList();
        if (!notRunning.isEmpty()) {
            throw new FaultException(faultName + ": nothing done, not running: " + notRunning.stream()
                    .map(c -> c.name() + " is " + context.stateOf(c))
                    .collect(Collectors.joining(", ")));
        }
        return chosen;
    }

    @Override
    public String toString() {
        return index >= 0 ? service + "[" + index + "]" : limit != DEFAULT_LIMIT ? service + " (at most " + limit + ")" : service;
    }
}
