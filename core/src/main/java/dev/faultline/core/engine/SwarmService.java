package dev.faultline.core.engine;

import java.util.List;
import java.util.Map;

/**
 * One swarm service, with what faultline's checks need to know of its spec.
 *
 * @param stack              the stack it belongs to ({@code com.docker.stack.namespace}), empty when none
 * @param replicas           desired replicas; -1 for a global service
 * @param maxReplicasPerNode 0 when unlimited
 * @param endpointMode       {@code vip} or {@code dnsrr}
 * @param version            the spec's version index (an update must name it)
 */
public record SwarmService(String id, String name, String stack, int replicas, boolean healthcheck,
        boolean updateConfig, boolean rollbackConfig, List<String> constraints, int maxReplicasPerNode,
        String endpointMode, List<PublishedPort> ports, Map<String, String> labels, long version) {

    public SwarmService {
        constraints = List.copyOf(constraints);
        ports = List.copyOf(ports);
        labels = Map.copyOf(labels);
    }

    public boolean global() {
        return replicas < 0;
    }

    /** The name inside its stack: "web" for "shop_web". */
    public String shortName() {
        return !stack.isEmpty() && name.startsWith(stack + "_") ? name.substring(stack.length() + 1) : name;
    }
}
