package dev.faultline.core.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.EngineException;
import dev.faultline.core.engine.NodeAvailability;
import dev.faultline.core.engine.SwarmNode;
import dev.faultline.core.testing.FakeEngine;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where a task reaches this JVM, for the proxy faults: known only when its node is a container on this machine. */
class SwarmJvmAddressTest {

    private final ContainerInfo task = FakeEngine.container("shop", "web");
    private final FakeEngine node = new FakeEngine().add(task);

    /** A manager that knows one node, node-1, and answers nothing else. */
    private static Engine manager() {
        SwarmNode n = new SwarmNode("n1", "node-1", "worker", NodeAvailability.ACTIVE, "ready", "10.9.9.9", Map.of());
        return (Engine) Proxy.newProxyInstance(Engine.class.getClassLoader(), new Class<?>[] {Engine.class}, (p, m, args) -> {
            if (m.getName().equals("swarmNodes")) {
                return List.of(n);
            }
            throw new EngineException("manager: " + m.getName() + " not expected here");
        });
    }

    private static ContainerInfo nodeContainer(String ip) {
        ContainerInfo c = FakeEngine.container("machines", "node");
        return new ContainerInfo(c.id(), "node-1-container", c.project(), c.service(), c.number(), c.image(), c.state(), c.health(),
                c.exitCode(), c.oomKilled(), c.restartPolicy(), c.restartCount(), c.ports(), c.hostPid(), c.startedAt(),
                c.finishedAt(), c.labels(), Map.of("nodes", ip), c.cpuQuota(), c.cpuPeriod());
    }

    @Test
    void aTaskOfANodeThatIsAContainerHereReachesThisMachinesAddressOnTheNodesNetwork() throws Exception {
        ContainerInfo machine = nodeContainer("127.0.0.2");
        SwarmEngine swarm = SwarmEngine.of(manager(), n -> node).withMachines(new FakeEngine().add(machine),
                Map.of("node-1", machine.id()));

        // 127.0.0.2 is on the loopback's /8: this machine sends to it from 127.0.0.1
        assertThat(swarm.jvmAddressFor(task.id())).contains(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void withoutKnowingTheNodesMachinesItIsRefusedSayingWhy() {
        SwarmEngine swarm = SwarmEngine.of(manager(), n -> node);

        assertThatThrownBy(() -> swarm.jvmAddressFor(task.id())).isInstanceOf(EngineException.class)
                .hasMessageContaining("swarm node node-1 cannot reach this JVM")
                .hasMessageContaining("SwarmEngine.withMachines");
    }

    @Test
    void aNodeContainerOnNoNetworkOfThisMachineIsRefused() {
        // TEST-NET-2: routed through a gateway, if at all, never on a link of this machine
        ContainerInfo machine = nodeContainer("198.51.100.7");
        SwarmEngine swarm = SwarmEngine.of(manager(), n -> node).withMachines(new FakeEngine().add(machine),
                Map.of("node-1", machine.id()));

        assertThatThrownBy(() -> swarm.jvmAddressFor(task.id())).isInstanceOf(EngineException.class)
                .hasMessageContaining("this JVM has no address on a network of the node's container node-1-container");
    }

    @Test
    void aComposeEngineAnswersTheDefaultGateway() {
        assertThat(node.jvmAddressFor(task.id())).isEmpty();
    }

    @Test
    void prefixesCompareBitByBit() throws Exception {
        InetAddress a = InetAddress.getByName("172.20.0.1");
        assertThat(LocalRoute.samePrefix(a, InetAddress.getByName("172.20.255.4"), 16)).isTrue();
        assertThat(LocalRoute.samePrefix(a, InetAddress.getByName("172.21.0.4"), 16)).isFalse();
        assertThat(LocalRoute.samePrefix(a, InetAddress.getByName("172.21.0.4"), 15)).isTrue();
        assertThat(LocalRoute.onLinkTo("db")).as("a name, not an address: no DNS asked").isEmpty();
    }
}
