package dev.faultline.core.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.core.engine.NodeAvailability;
import dev.faultline.core.engine.SwarmNode;
import dev.faultline.core.engine.SwarmService;
import dev.faultline.core.engine.SwarmTask;
import dev.faultline.core.status.Warning;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The warnings of a swarm stack, from a snapshot built by hand. */
class SwarmStatusTest {

    private static final Instant T = Instant.parse("2026-12-02T10:00:00Z");
    private static final List<SwarmNode> NODES = List.of(
            new SwarmNode("n1", "manager", "manager", NodeAvailability.ACTIVE, "ready", "10.0.0.1", Map.of()),
            new SwarmNode("n2", "worker1", "worker", NodeAvailability.ACTIVE, "ready", "10.0.0.2", Map.of()),
            new SwarmNode("n3", "worker2", "worker", NodeAvailability.DRAIN, "down", "10.0.0.3", Map.of()));

    private static SwarmService service(String name, int replicas, boolean health, boolean update, List<String> constraints) {
        return new SwarmService("id-" + name, "shop_" + name, "shop", replicas, health, update, update, constraints, 0,
                "dnsrr", List.of(), Map.of(), 1);
    }

    private static SwarmTask task(String service, int slot, String node, String state) {
        return new SwarmTask("t-" + service + slot, "id-" + service, "shop_" + service, slot, node, "running", state, "c" + slot, "", T);
    }

    @Test
    void aWellConfiguredReplicatedServiceSpreadOverNodesHasNoWarnings() {
        SwarmStatus status = new SwarmStatus("shop", T, NODES.subList(0, 2), List.of(service("web", 2, true, true, List.of())),
                Map.of("id-web", List.of(task("web", 1, "n1", "running"), task("web", 2, "n2", "running"))));
        assertThat(status.warnings()).isEmpty();
    }

    @Test
    void whatMattersOnASwarmIsSaidPerServiceAndPerNode() {
        SwarmStatus status = new SwarmStatus("shop", T, NODES, List.of(
                service("db", 1, false, false, List.of("node.hostname == worker1")),
                service("web", 3, true, true, List.of())),
                Map.of("id-db", List.of(task("db", 1, "n2", "running")),
                        "id-web", List.of(task("web", 1, "n2", "running"), task("web", 2, "n2", "running"), task("web", 3, "", "pending"))));
        assertThat(status.warnings()).extracting(Warning::toString).containsExactly(
                "db: one replica: when its task dies the service is down until the swarm has started and health-checked another",
                "db: no healthcheck: the swarm counts a task as running as soon as its process starts, and keeps it when it hangs",
                "db: no update_config: a deploy replaces its tasks with the defaults (one at a time, stopping the old task first)",
                "db: no rollback_config: a failed update is not rolled back the way you chose",
                "db: placed on one node (node.hostname == worker1): it cannot move when that node is lost or drained",
                "web: 2 of 3 replicas running",
                "web: all 2 running tasks are on node worker1: losing that node loses the service",
                "worker2: node is down: the swarm moves its tasks away",
                "worker2: node availability is drain: it takes no new tasks");
    }
}
