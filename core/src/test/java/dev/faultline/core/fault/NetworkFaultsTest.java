package dev.faultline.core.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ExecResult;
import dev.faultline.core.testing.FakeEngine;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The netfilter and tc faults on the fake engine: rules and scripts made, helpers started and removed, arguments checked. */
class NetworkFaultsTest {

    final FakeEngine engine = new FakeEngine();
    final ContainerInfo web = FakeEngine.container("shop", "web", 1);
    final ContainerInfo db = FakeEngine.container("shop", "db", 1);
    final FaultContext context = new FaultContext(engine, new FakeTargets(engine, "shop"), "run1");

    NetworkFaultsTest() {
        engine.add(web).add(db);
    }

    List<String> execs() {
        return engine.calls().stream().filter(c -> c.startsWith("exec ")).toList();
    }

    List<String> helperRuns() {
        return engine.calls().stream().filter(c -> c.startsWith("run ")).toList();
    }

    @Test
    void packetLossInsertsAStatisticDropRuleAndRevertDeletesItAndTheHelper() {
        Injection loss = PacketLossFault.of("web", 0.25).to("db", 5432).lasting(Duration.ofSeconds(30)).inject(context);
        assertThat(helperRuns()).singleElement().asString().contains("timeout, -k, 5, 30s, bash, -c");
        assertThat(execs()).singleElement().asString()
                .contains("iptables -w 5 -t filter -I OUTPUT -d 172.18.0.11 -p tcp --dport 5432 -m statistic --mode random"
                        + " --probability 0.25 -m comment --comment faultline:run1:loss-")
                .contains("-d 172.18.0.11 -p udp --dport 5432");
        assertThat(loss.mechanism()).startsWith("25% random packet loss to db:5432: iptables rule(s)")
                .contains("in shop_web_1's network namespace").contains("which undoes it after 30 s or on revert");
        loss.close();
        loss.close();
        assertThat(execs()).hasSize(2);
        assertThat(execs().get(1)).contains("for t in nat filter mangle raw").contains("set -- 'faultline:run1:loss-");
        assertThat(engine.calls()).anyMatch(c -> c.startsWith("remove helper1"));
    }

    @Test
    void lossToEverythingSparesLoopback() {
        PacketLossFault.of("web", 1).inject(context);
        assertThat(execs().get(0)).contains("-I OUTPUT ! -o lo -m statistic --mode random --probability 1 -m comment");
    }

    @Test
    void aFailedSetupRemovesTheHelperAndSaysWhy() {
        engine.onExec((id, cmd) -> cmd.get(2).startsWith("set -e") ? new ExecResult(2, "", "iptables: No chain/target/match")
                : new ExecResult(0, "", ""));
        assertThatThrownBy(() -> BlackholeFault.of("web", "db", 5432).inject(context))
                .isInstanceOf(FaultException.class)
                .hasMessageStartingWith("blackhole shop_web_1: nothing done, helper faultline-run1-blackhole-shop_web_1-")
                .hasMessageEndingWith("failed to apply it (exit 2): iptables: No chain/target/match");
        assertThat(engine.calls()).anyMatch(c -> c.startsWith("remove helper1"));
    }

    @Test
    void blackholeDropsTcpToThePortOnly() {
        BlackholeFault.of("web", 5432).inject(context);
        assertThat(execs().get(0)).contains("-I OUTPUT ! -o lo -p tcp --dport 5432 -m comment").contains("-j DROP")
                .doesNotContain("udp");
        BlackholeFault.of("web", 53).andUdp().inject(context);
        assertThat(execs().get(1)).contains("-p udp --dport 53");
    }

    @Test
    void partitionCutsEachSideFromTheOther() {
        Injection cut = PartitionFault.between("web", "db").rejecting().inject(context);
        assertThat(cut.targets()).containsExactly("shop_web_1", "shop_db_1");
        assertThat(execs()).hasSize(2);
        assertThat(execs().get(0)).startsWith("exec helper1").contains("-I OUTPUT -d 172.18.0.11 -m comment").endsWith("-j REJECT\n]");
        assertThat(execs().get(1)).startsWith("exec helper2").contains("-I OUTPUT -d 172.18.0.11 -m comment");
        cut.close();
        assertThat(engine.calls()).anyMatch(c -> c.startsWith("remove helper1")).anyMatch(c -> c.startsWith("remove helper2"));
    }

    @Test
    void partitionWithoutASharedNetworkTouchesNothing() {
        ContainerInfo lonely = new ContainerInfo("cache0000000000000001", "shop_cache_1", "shop", "cache", 1, "img",
                web.state(), web.health(), 0, false, web.restartPolicy(), 0, List.of(), 1, web.startedAt(), null,
                java.util.Map.of("com.docker.compose.project", "shop", "com.docker.compose.service", "cache"),
                java.util.Map.of("other_net", "10.0.0.5"), 0, 0);
        engine.add(lonely);
        assertThatThrownBy(() -> PartitionFault.between("web", "cache").inject(context))
                .isInstanceOf(FaultException.class)
                .hasMessage("partition web <-> cache: nothing done, no running container of 'cache' shares a network with shop_web_1"
                        + " [shop_default]; seen [shop_cache_1 {other_net=10.0.0.5}]");
        assertThat(helperRuns()).isEmpty();
    }

    @Test
    void dnsRulesMatchThePortAsSentBeforeDockersRedirect() {
        assertThat(DnsFailureFault.rules(false)).extracting(Object::toString).containsExactly(
                "-t filter INPUT -p udp -m conntrack --ctorigdstport 53 --ctdir REPLY -j DROP",
                "-t filter INPUT -p tcp -m conntrack --ctorigdstport 53 --ctdir REPLY -j DROP");
        assertThat(DnsFailureFault.rules(true)).extracting(Object::toString).allMatch(r -> r.contains("OUTPUT") && r.endsWith("REJECT"));
        assertThat(DnsFailureFault.of("web").rejecting().inject(context).mechanism()).startsWith("DNS queries");
    }

    @Test
    void bandwidthShapesEveryInterfaceButLoopback() {
        BandwidthFault fault = BandwidthFault.of("web", 8_000_000);
        assertThat(fault.burstBytes()).isEqualTo(15_140);
        assertThat(BandwidthFault.of("web", 100_000_000).burstBytes()).isEqualTo(125_000);
        assertThat(fault.describe()).isEqualTo("egress of web limited to 8 Mbit/s for at most 600 s");
        Injection i = fault.inject(context);
        assertThat(execs().get(0)).contains("grep -vx lo").contains("tbf rate 8000000bit burst 15140 latency 50ms");
        i.close();
        assertThat(execs().get(1)).contains("tc qdisc del dev \"$d\" root");
    }

    @Test
    void scriptsParse() throws Exception {
        assertThat(NetworkScriptsTest.parse(NamespaceChange.watchdogScript())).isEqualTo("ok");
        assertThat(NetworkScriptsTest.parse(BandwidthFault.of("web", 8000).setupScript())).isEqualTo("ok");
        assertThat(NetworkScriptsTest.parse(BandwidthFault.cleanupScript())).isEqualTo("ok");
    }

    @Test
    void argumentsAreCheckedWithTheirNameValueAndRange() {
        assertThatThrownBy(() -> PacketLossFault.of("web", 0)).hasMessage("probability must be in (0, 1], got 0.0");
        assertThatThrownBy(() -> PacketLossFault.of("web", 1.5)).hasMessage("probability must be in (0, 1], got 1.5");
        assertThatThrownBy(() -> PacketLossFault.of("web", 0.1).to("db", 0)).hasMessage("destinationPort must be in [1, 65535], got 0");
        assertThatThrownBy(() -> PacketLossFault.of("web", 0.1).lasting(Duration.ZERO))
                .hasMessage("duration must be in (0, PT24H], got PT0S");
        assertThatThrownBy(() -> BlackholeFault.of("web", 70000)).hasMessage("destinationPort must be in [1, 65535], got 70000");
        assertThatThrownBy(() -> BlackholeFault.of("web", " ", 80)).hasMessage("service must be a non-blank Compose service name, got ' '");
        assertThatThrownBy(() -> PartitionFault.between("web", "web")).hasMessage("serviceB must differ from serviceA, got 'web' twice");
        assertThatThrownBy(() -> BandwidthFault.of("web", 7999)).hasMessage("bitsPerSecond must be in [8000, 10000000000], got 7999");
        assertThatThrownBy(() -> DnsFailureFault.of("")).hasMessage("service must be a non-blank Compose service name, got ''");
    }
}
