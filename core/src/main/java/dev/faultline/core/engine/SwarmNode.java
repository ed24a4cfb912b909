package dev.faultline.core.engine;

import java.util.Map;

/**
 * One node of a Docker Swarm as its manager reports it.
 *
 * @param role         {@code manager} or {@code worker}
 * @param availability what the scheduler may do with it
 * @param state        {@code ready}, {@code down}, {@code unknown} or {@code disconnected}
 * @param address      the address the node reports (its engine's, on the swarm's network)
 */
public record SwarmNode(String id, String hostname, String role, NodeAvailability availability, String state,
        String address, Map<String, String> labels) {

    public SwarmNode {
        labels = Map.copyOf(labels);
    }

    public boolean ready() {
        return "ready".equals(state);
    }

    public boolean manager() {
        return "manager".equals(role);
    }
}
