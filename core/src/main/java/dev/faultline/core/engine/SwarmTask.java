package dev.faultline.core.engine;

import java.time.Instant;

/**
 * One task of a swarm service: a slot's attempt at running a container on a node. A replaced task
 * stays in the list with a desired state of {@code shutdown}.
 *
 * @param state        the task's current state as the manager knows it: {@code new}, {@code pending},
 *                     {@code assigned}, {@code preparing}, {@code starting}, {@code running}, {@code complete},
 *                     {@code failed}, {@code shutdown}, {@code rejected}, {@code orphaned}, {@code remove}
 * @param containerId  empty until the node created the container
 * @param since        when the task reached {@code state} (the manager's clock)
 */
public record SwarmTask(String id, String serviceId, String serviceName, int slot, String nodeId, String desiredState,
        String state, String containerId, String error, Instant since) {

    public boolean running() {
        return "running".equals(state);
    }

    public boolean wanted() {
        return "running".equals(desiredState);
    }
}
