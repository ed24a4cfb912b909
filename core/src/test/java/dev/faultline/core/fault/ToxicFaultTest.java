package dev.faultline.core.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ExecResult;
import dev.faultline.core.proxy.Toxic;
import dev.faultline.core.testing.FakeEngine;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The proxy-route toxics on the fake engine (the proxy listens on loopback, the "gateway" here). */
class ToxicFaultTest {

    final FakeEngine engine = new FakeEngine();
    final ContainerInfo web = FakeEngine.container("shop", "web", 1);
    final ContainerInfo db = FakeEngine.container("shop", "db", 2);
    final FaultContext context = new FaultContext(engine, new FakeTargets(engine, "shop"), "run1");

    ToxicFaultTest() {
        engine.add(web).add(db).onExec((id, cmd) -> String.join(" ", cmd).contains("route show default")
                ? new ExecResult(0, "127.0.0.1\n", "") : new ExecResult(0, "", ""));
    }

    List<String> execs() {
        return engine.calls().stream().filter(c -> c.startsWith("exec ")).toList();
    }

    @Test
    void resetGoesThroughTheSharedProxyRouteAndRevertRemovesTheRuleFirst() {
        Injection reset = ToxicFault.connectionReset("web", "db", 5432, Duration.ofMillis(250)).inject(context);
        assertThat(reset.mechanism()).startsWith("TCP proxy in the JVM on the gateway 127.0.0.1 resetting each connection"
                        + " (RST to both ends) 250 ms after it opens, and an iptables nat OUTPUT DNAT rule (comment faultline:run1:reset-")
                .contains("(172.18.0.12:5432 -> 127.0.0.1:")
                .contains("0 established connection(s) of shop_web_1 to the destination found, 0 reset (ss -K)");
        assertThat(execs().get(1)).contains("iptables -w 5 -t nat -I OUTPUT -p tcp -d 172.18.0.12 --dport 5432 -m comment --comment faultline:run1:reset-");
        reset.close();
        assertThat(execs().get(2)).contains("for t in nat filter mangle raw").contains("faultline:run1:reset-");
        assertThat(engine.calls()).last().asString().startsWith("remove helper1");
    }

    @Test
    void kindsAndEffectsSayWhatHappens() {
        assertThat(ToxicFault.timeout("web", "db", 5432, Duration.ZERO).describe())
                .isEqualTo("timeout on connections from web to db:5432 (forwarding nothing either way and holding each connection open until revert)");
        assertThat(ToxicFault.timeout("web", "db", 5432, Duration.ofSeconds(3)).effect())
                .isEqualTo("forwarding nothing either way and closing each connection 3000 ms after it opens");
        assertThat(ToxicFault.slowClose("web", "db", 5432, Duration.ofSeconds(1)).kind()).isEqualTo("slow-close");
        assertThat(ToxicFault.connectionReset("web", "db", 5432, Duration.ZERO).onlyNewConnections().describe())
                .endsWith("(new connections only)");
    }

    @Test
    void argumentsAreChecked() {
        assertThatThrownBy(() -> ToxicFault.connectionReset("web", "db", 5432, Duration.ofMillis(-1)))
                .hasMessage("after must be in [PT0S, PT1H], got PT-0.001S");
        assertThatThrownBy(() -> ToxicFault.timeout("web", "db", 5432, Duration.ofHours(2)))
                .hasMessage("closeAfter must be in [PT0S, PT1H], got PT2H");
        assertThatThrownBy(() -> ToxicFault.slowClose("web", "db", 5432, Duration.ZERO))
                .hasMessage("delay must be in (0, PT1H], got PT0S");
        assertThatThrownBy(() -> ToxicFault.slowClose("web", "db", 0, Duration.ofSeconds(1)))
                .hasMessage("destinationPort must be in [1, 65535], got 0");
        assertThatThrownBy(() -> new ToxicFault(Targeting.all("web"), "db", 5432, Toxic.latency(Duration.ofMillis(5)),
                Duration.ofMinutes(1), false)).hasMessageStartingWith("toxic must be a reset, timeout or slow close");
    }
}
