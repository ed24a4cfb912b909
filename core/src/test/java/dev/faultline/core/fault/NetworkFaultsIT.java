package dev.faultline.core.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.faultline.core.safety.Recover;
import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ExecResult;
import dev.faultline.core.helper.HelperRequest;
import dev.faultline.core.helper.Helpers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The netfilter and tc faults against real containers: each effect is measured from inside the
 * target while injected, and gone (no rule, no qdisc, no helper) after revert.
 */
class NetworkFaultsIT {

    static final Logger LOG = LoggerFactory.getLogger(NetworkFaultsIT.class);
    static final int PORT = NetworkLatencyFaultIT.PORT;
    static final int BULK_PORT = 7000;
    static final int BULK_BYTES = 3_000_000;
    /** The echo server on PORT, and a server sending BULK_BYTES zero bytes to each connection on BULK_PORT. */
    static final String SERVERS = "perl -e '" + NetworkLatencyFaultIT.ECHO_SERVER.replace("'", "'\\''") + "' & "
            + "perl -e 'use IO::Socket::INET; my $s = IO::Socket::INET->new(LocalPort => " + BULK_PORT
            + ", Listen => 8, ReuseAddr => 1) or die $!; while (my $c = $s->accept) { print $c \"\\0\" x " + BULK_BYTES
            + "; close $c; }' & wait";

    ItStack stack;
    ContainerInfo web;
    ContainerInfo db;

    @BeforeEach
    void stack() {
        stack = new ItStack("net");
        db = stack.service("db", "no", ItStack.BASE, "bash", "-c", SERVERS);
        web = stack.service("web", "no", ItStack.BASE, "bash", "-c", SERVERS);
        await().atMost(Duration.ofSeconds(20)).until(() -> connects(web, ip(db)) == 0 && connects(db, ip(web)) == 0);
    }

    @AfterEach
    void cleanUp() {
        stack.close();
    }

    String ip(ContainerInfo c) {
        return stack.ip(c);
    }

    ExecResult sh(ContainerInfo c, String script) {
        return stack.sh(c, script);
    }

    /** Exit code of a 2 s bounded connect from {@code from} to ip:PORT: 0 connected, 124 hung, other refused/unreachable. */
    int connects(ContainerInfo from, String ip) {
        return sh(from, "timeout 2 bash -c 'exec 3<>/dev/tcp/" + ip + "/" + PORT + "'").exitCode();
    }

    /** iptables-save and tc qdiscs of the container's network namespace, as a helper there sees them. */
    String namespaceState(ContainerInfo c) {
        var r = Helpers.on(stack.engine).runToEnd(HelperRequest.of(stack.runId, "it-check", c, Duration.ofSeconds(20),
                        List.of("bash", "-c", "iptables-save; tc qdisc show"))
                .withNetworkMode("container:" + c.id()).withCapAdd("NET_ADMIN"), Duration.ofSeconds(40));
        assertThat(r.exitCode()).as(r.output()).isZero();
        return r.output();
    }

    void assertGone(ContainerInfo c) {
        assertThat(namespaceState(c)).doesNotContain("faultline:").doesNotContain("tbf");
        assertThat(stack.engine.containers(Map.of(Helpers.RUN_ID, stack.runId), true)).isEmpty();
    }

    @Test
    void packetLossDropsTheConfiguredShareOfPackets() {
        int n = 2000;
        double p = 0.3;
        // a datagram dropped in OUTPUT fails the sender's write (EPERM): each failure is one lost packet
        String send = "ok=0; lost=0; for i in $(seq " + n + "); do if { echo x > /dev/udp/" + ip(db) + "/9999; } 2>/dev/null;"
                + " then ok=$((ok+1)); else lost=$((lost+1)); fi; done; echo $lost";
        assertThat(sh(web, send).stdout().strip()).isEqualTo("0");

        Injection loss = PacketLossFault.of("web", p).to("db").inject(stack.context);
        try {
            assertThat(loss.mechanism()).contains("30% random packet loss to db")
                    .contains("-d " + ip(db) + " -m statistic --mode random --probability 0.3 -j DROP");
            int lost = Integer.parseInt(sh(web, send).stdout().strip());
            LOG.info("packet loss: {} of {} datagrams lost ({}), configured {}", lost, n, lost / (double) n, p);
            assertThat(lost / (double) n).isCloseTo(p, within(0.05));
            assertThat(namespaceState(web)).contains("faultline:" + stack.runId + ":loss-");
        } finally {
            loss.close();
        }
        assertGone(web);
        assertThat(sh(web, send).stdout().strip()).isEqualTo("0");
    }

    @Test
    void partitionCutsBothDirectionsUntilReverted() {
        Injection partition = PartitionFault.between("web", "db").rejecting().inject(stack.context);
        try {
            assertThat(partition.targets()).containsExactlyInAnyOrder(web.name(), db.name());
            assertThat(connects(web, ip(db))).as("web -> db").isNotIn(0, 124);
            assertThat(connects(db, ip(web))).as("db -> web").isNotIn(0, 124);
        } finally {
            partition.close();
        }
        assertThat(connects(web, ip(db))).isZero();
        assertThat(connects(db, ip(web))).isZero();
        assertGone(web);
        assertGone(db);
    }

    @Test
    void blackholedPortHangsClientsAndOtherPortsStillWork() {
        Injection hole = BlackholeFault.of("web", "db", PORT).inject(stack.context);
        try {
            assertThat(connects(web, ip(db))).as("connect to the black hole hangs until the client's timeout").isEqualTo(124);
            assertThat(sh(web, "timeout 5 cat < /dev/tcp/" + ip(db) + "/" + BULK_PORT + " | wc -c").stdout().strip())
                    .isEqualTo(Integer.toString(BULK_BYTES));
        } finally {
            hole.close();
        }
        assertThat(connects(web, ip(db))).isZero();
        assertGone(web);
    }

    @Test
    void dnsLookupsFailWhileInjected() {
        String lookup = "timeout 4 getent hosts " + db.name();
        assertThat(sh(web, lookup).stdout()).contains(ip(db));

        Injection dropped = DnsFailureFault.of("web").inject(stack.context);
        try {
            assertThat(sh(web, lookup).exitCode()).as("a dropped query hangs").isEqualTo(124);
        } finally {
            dropped.close();
        }
        assertThat(sh(web, lookup).stdout()).contains(ip(db));

        Injection rejected = DnsFailureFault.of("web").rejecting().inject(stack.context);
        try {
            var r = sh(web, lookup);
            assertThat(r.exitCode()).as("a rejected query fails at once").isNotIn(0, 124);
        } finally {
            rejected.close();
        }
        assertThat(sh(web, lookup).stdout()).contains(ip(db));
        assertGone(web);
    }

    /** Bits per second of one BULK_BYTES download from web, measured by the receiver in db. */
    double downloadFromWeb() {
        var r = sh(db, "t0=${EPOCHREALTIME/./}; n=$(cat < /dev/tcp/" + ip(web) + "/" + BULK_PORT + " | wc -c);"
                + " t1=${EPOCHREALTIME/./}; echo $n $((t1 - t0))");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        String[] f = r.stdout().strip().split(" ");
        assertThat(Long.parseLong(f[0])).isEqualTo(BULK_BYTES);
        return Long.parseLong(f[0]) * 8 / (Long.parseLong(f[1]) / 1e6);
    }

    @Test
    void bandwidthIsLimitedToTheRateAndRestoredAfterRevert() {
        long rate = 8_000_000;
        double before = downloadFromWeb();
        Injection limit = BandwidthFault.of("web", rate).inject(stack.context);
        double limited;
        try {
            assertThat(limit.mechanism()).contains("tc tbf rate 8000000bit");
            assertThat(namespaceState(web)).contains("qdisc tbf");
            limited = downloadFromWeb();
        } finally {
            limit.close();
        }
        double after = downloadFromWeb();
        LOG.info("bandwidth: {} Mbit/s before, {} Mbit/s limited to {} Mbit/s, {} Mbit/s after", before / 1e6, limited / 1e6,
                rate / 1e6, after / 1e6);
        assertThat(limited).isCloseTo(rate, within(rate * 0.20));
        assertThat(after).isGreaterThan(rate * 2.0);
        assertGone(web);
    }

    @Test
    void theHelperDeletesItsRuleAtTheDeadlineWithoutARevert() {
        PacketLossFault.of("web", 0.5).to("db").lasting(Duration.ofSeconds(3)).inject(stack.context);
        assertThat(namespaceState(web)).contains("faultline:" + stack.runId + ":loss-");
        // as if the JVM had died: nobody closes the injection
        await().atMost(Duration.ofSeconds(20)).until(() -> !namespaceState(web).contains("faultline:"));
        await().atMost(Duration.ofSeconds(20)).until(() -> stack.engine.containers(Map.of(Helpers.RUN_ID, stack.runId), true).stream()
                .noneMatch(h -> "loss".equals(h.labels().get(Helpers.FAULT))));
    }

    @Test
    void recoveryUndoesFaultsWhoseJvmDied() {
        PartitionFault.between("web", "db").inject(stack.context);
        BandwidthFault.of("web", 1_000_000).inject(stack.context);
        assertThat(namespaceState(web)).contains("faultline:").contains("tbf");

        List<String> done = Recover.run(stack.engine, stack.runId).done();

        assertThat(done).anyMatch(l -> l.startsWith("removed helper faultline-" + stack.runId + "-partition-"))
                .anyMatch(l -> l.startsWith("removed helper faultline-" + stack.runId + "-bandwidth-"));
        assertGone(web);
        assertGone(db);
        assertThat(connects(web, ip(db))).isZero();
    }
}
