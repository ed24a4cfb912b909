package dev.faultline.core.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ExecResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue #11: every fault kind measures its own effect from the kernel or the engine. For each kind,
 * the fault is made to miss (a port nobody uses, a service with no traffic, a state undone behind its
 * back) and its effect is none, with a likely cause; and it is made to bite and its counters are not
 * zero. One stack for all of them (a db-like and a web-like container, plus throwaway victims), so the
 * whole class costs about what two of the older per-test stacks did.
 *
 * <p>Where each kind is made to miss and to bite (this class unless named):
 * <pre>
 * kind            miss                                                     bite
 * packet loss     UDP to a port nobody sends to                            200 datagrams, about half dropped
 * blackhole       a port nobody uses                                       a connect to the echo port
 * partition       no traffic between the two                               a connect, rejected
 * DNS failure     no lookup made                                           one lookup
 * bandwidth       nothing sent                                             3 MB over an 8 Mbit/s limit
 * latency         a port nobody uses; a kept connection left alone         an exchange after the kept one is reset;
 *                 (onlyNewConnections); PooledStackIT: a whole run         PooledStackIT: 4 s and 100 ms on Django
 * reset           a port nobody uses                                       an exchange, reset
 * timeout         a port nobody uses                                       an exchange that hangs
 * slow close      a port nobody uses                                       an exchange
 * pause           unpaused behind its back                                 seen paused
 * stop            started again behind its back                            seen exited
 * API kill        SIGUSR1, which PID 1 ignores                             SIGKILL
 * crash           none by construction: SIGKILL from the host's PID        died, restarted by the policy
 *                 namespace always ends a running PID 1 (a container not
 *                 running is refused before anything is done)
 * restart         none by construction: the API always starts a new        started again
 *                 main process
 * signal          a pattern that matches no process; ContainerFaultsIT;    TERM to a sleeper, gone
 *                 PostgresConnectionsFaultIT: a whole run, INCONCLUSIVE
 * CPU quota       an idle target                                           a busy loop, throttled
 * CPU stress      not made: the burners always use CPU in their own        the burners' CPU time
 *                 cgroup; a miss needs them stopped before they run (a race)
 * memory stress   not made: a miss needs the stressor killed before it     bytes held
 *                 allocates (a race)
 * OOM             not made, as above                                       MemoryStressFaultIT: OOM-killed, exit 137
 * disk fill       the fill file deleted behind its back                    bytes written, filesystem use
 * pg connections  PostgresConnectionsFaultIT: a port nothing listens on,   PostgresConnectionsFaultIT: every slot the
 *                 a server already full; a whole run, INCONCLUSIVE         app may use held, the app refused
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultEffectsIT {

    private static final Logger LOG = LoggerFactory.getLogger(FaultEffectsIT.class);
    static final int PORT = NetworkFaultsIT.PORT;
    static final int UNUSED_PORT = 5433;

    ItStack stack;
    ContainerInfo web;
    ContainerInfo db;

    @BeforeAll
    void stack() {
        stack = new ItStack("effect");
        db = stack.service("db", "no", ItStack.BASE, "bash", "-c", NetworkFaultsIT.SERVERS);
        web = stack.service("web", List.of("--restart", "no", "--memory", "96m", "--tmpfs", "/data:size=16m"), ItStack.BASE,
                "bash", "-c", NetworkFaultsIT.SERVERS);
        await().atMost(Duration.ofSeconds(20)).until(() -> stack.sh(web, "timeout 2 bash -c 'exec 3<>/dev/tcp/" + stack.ip(db) + "/" + PORT + "'")
                .exitCode() == 0);
    }

    @AfterAll
    void cleanUp() {
        stack.close();
    }

    /** One exchange with db's echo server on a new connection. */
    void exchange() {
        ExecResult r = stack.sh(web, "exec 3<>/dev/tcp/" + stack.ip(db) + "/" + PORT + "; echo ping >&3; read -r a <&3; echo $a");
        assertThat(r.stdout().strip()).as(r.stderr()).isEqualTo("pong");
    }

    /** Closes the injection (as the runner does) and returns the effect it read just before the revert. */
    static Effect closed(Injection injection) {
        injection.close();
        Effect e = injection.effect();
        LOG.info("effect: {}", e.line());
        return e;
    }

    // ---- netfilter faults: their own rules' packet counters, found by comment

    @Test
    void packetLossCountsTheDroppedPackets() {
        Effect idle = closed(PacketLossFault.of("web", 0.5).to("db", 9998).inject(stack.context));
        assertThat(idle.none()).as(idle.line()).isTrue();
        assertThat(idle.cause().orElseThrow()).contains("sent no packet to db:9998 during the fault");

        Injection loss = PacketLossFault.of("web", 0.5).to("db", 9998).inject(stack.context);
        stack.sh(web, "for i in $(seq 200); do echo x 2>/dev/null > /dev/udp/" + stack.ip(db) + "/9998; done; true");
        Effect bit = closed(loss);
        assertThat(bit.bit()).as(bit.line()).isTrue();
        assertThat(bit.value("packets dropped").orElseThrow()).isBetween(50L, 150L);
    }

    @Test
    void blackholeAndPartitionCountWhatTheyDropped() {
        Effect idle = closed(BlackholeFault.of("web", "db", UNUSED_PORT).inject(stack.context));
        assertThat(idle.none()).as(idle.line()).isTrue();

        Injection hole = BlackholeFault.of("web", "db", PORT).inject(stack.context);
        stack.sh(web, "timeout 2 bash -c 'exec 3<>/dev/tcp/" + stack.ip(db) + "/" + PORT + "'");
        Effect bit = closed(hole);
        assertThat(bit.value("packets dropped").orElseThrow()).as(bit.line()).isPositive();

        Effect quiet = closed(PartitionFault.between("web", "db").inject(stack.context));
        assertThat(quiet.none()).as(quiet.line()).isTrue();
        assertThat(quiet.cause().orElseThrow()).contains("neither side sent a packet to the other during the fault");
        Injection partition = PartitionFault.between("web", "db").rejecting().inject(stack.context);
        stack.sh(web, "timeout 2 bash -c 'exec 3<>/dev/tcp/" + stack.ip(db) + "/" + PORT + "'");
        Effect cut = closed(partition);
        assertThat(cut.bit()).as(cut.line()).isTrue();
        assertThat(cut.value("packets rejected").orElseThrow()).isPositive();
        exchange();
    }

    @Test
    void dnsFailureCountsTheLookupsItBroke() {
        Effect idle = closed(DnsFailureFault.of("web").rejecting().inject(stack.context));
        assertThat(idle.none()).as(idle.line()).isTrue();
        assertThat(idle.cause().orElseThrow()).contains("made no DNS lookup during the fault");

        Injection dns = DnsFailureFault.of("web").rejecting().inject(stack.context);
        stack.sh(web, "timeout 4 getent hosts " + db.name());
        Effect bit = closed(dns);
        assertThat(bit.value("packets rejected").orElseThrow()).as(bit.line()).isPositive();
    }

    @Test
    void bandwidthCountsThePacketsTheBucketHeldBack() {
        Effect idle = closed(BandwidthFault.of("web", 1_000_000).inject(stack.context));
        assertThat(idle.none()).as(idle.line()).isTrue();
        assertThat(idle.value("overlimits")).contains(0L);

        Injection limit = BandwidthFault.of("web", 8_000_000).inject(stack.context);
        // web sends NetworkFaultsIT.BULK_BYTES to db: its egress meets the limit
        stack.sh(db, "cat < /dev/tcp/" + stack.ip(web) + "/" + NetworkFaultsIT.BULK_PORT + " | wc -c");
        Effect bit = closed(limit);
        assertThat(bit.bit()).as(bit.line()).isTrue();
        assertThat(bit.value("overlimits").orElseThrow()).isPositive();
        assertThat(bit.value("bytes sent").orElseThrow()).isGreaterThan(NetworkFaultsIT.BULK_BYTES);
    }

    // ---- proxy faults: connections and bytes through the proxy, established connections reset

    @Test
    void latencyCountsConnectionsAndResetsTheEstablishedOnes() {
        Effect unused = closed(NetworkLatencyFault.of("web", "db", UNUSED_PORT, Duration.ofMillis(50)).inject(stack.context));
        assertThat(unused.none()).as(unused.line()).isTrue();
        assertThat(unused.cause().orElseThrow()).contains("nothing there uses this destination");

        // a kept connection, like Django's: opened before the fault, idle, held by a background shell
        stack.sh(web, "nohup bash -c 'exec 3<>/dev/tcp/" + stack.ip(db) + "/" + PORT + "; sleep 120' >/dev/null 2>&1 &");
        // no ss in the target: its established connections to port 5432 (0x1538), from /proc
        await().atMost(Duration.ofSeconds(10)).until(() -> stack.sh(web, "awk '$4 == \"01\" && $3 ~ /:1538$/' /proc/net/tcp | wc -l")
                .stdout().strip().equals("1"));
        Effect missed = closed(NetworkLatencyFault.of("web", "db", PORT, Duration.ofMillis(50)).onlyNewConnections()
                .inject(stack.context));
        assertThat(missed.none()).as(missed.line()).isTrue();
        assertThat(missed.value("established at injection")).contains(1L);
        assertThat(missed.cause().orElseThrow()).contains("were opened before the fault and kept their direct path");

        Injection delay = NetworkLatencyFault.of("web", "db", PORT, Duration.ofMillis(50)).inject(stack.context);
        assertThat(delay.mechanism()).contains("1 established connection(s) of " + web.name() + " to the destination found, 1 reset");
        exchange();
        Effect bit = closed(delay);
        assertThat(bit.bit()).as(bit.line()).isTrue();
        assertThat(bit.value("reset at injection")).contains(1L);
        assertThat(bit.value("connections through the proxy").orElseThrow()).isPositive();
        assertThat(bit.value("bytes back").orElseThrow()).isPositive();
    }

    @Test
    void connectionResetCountsTheConnectionsItReset() {
        Effect idle = closed(ToxicFault.connectionReset("web", "db", UNUSED_PORT, Duration.ZERO).inject(stack.context));
        assertThat(idle.none()).as(idle.line()).isTrue();

        Injection reset = ToxicFault.connectionReset("web", "db", PORT, Duration.ZERO).inject(stack.context);
        stack.sh(web, "exec 3<>/dev/tcp/" + stack.ip(db) + "/" + PORT + "; echo ping >&3; read -r a <&3; true");
        Effect bit = closed(reset);
        assertThat(bit.value("connections through the proxy").orElseThrow()).as(bit.line()).isPositive();
        assertThat(bit.bit()).isTrue();
    }

    @Test
    void aTimeoutCountsTheConnectionsItHeld() {
        Effect idle = closed(ToxicFault.timeout("web", "db", UNUSED_PORT, Duration.ZERO).inject(stack.context));
        assertThat(idle.none()).as(idle.line()).isTrue();
        assertThat(idle.cause().orElseThrow()).contains("nothing there uses this destination");

        Injection hang = ToxicFault.timeout("web", "db", PORT, Duration.ZERO).inject(stack.context);
        // the exchange hangs: nothing goes through; the shell gives up, the connection counted all the same
        ExecResult r = stack.sh(web, "timeout 2 bash -c 'exec 3<>/dev/tcp/" + stack.ip(db) + "/" + PORT
                + "; echo ping >&3; read -r a <&3; echo answer:$a'");
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(124);
        Effect bit = closed(hang);
        assertThat(bit.bit()).as(bit.line()).isTrue();
        assertThat(bit.value("connections through the proxy").orElseThrow()).isPositive();
        assertThat(bit.value("bytes back")).contains(0L);
        exchange();
    }

    @Test
    void aSlowCloseCountsTheConnectionsAndBytesThroughIt() {
        Effect idle = closed(ToxicFault.slowClose("web", "db", UNUSED_PORT, Duration.ofMillis(200)).inject(stack.context));
        assertThat(idle.none()).as(idle.line()).isTrue();
        assertThat(idle.cause().orElseThrow()).contains("nothing there uses this destination");

        Injection slow = ToxicFault.slowClose("web", "db", PORT, Duration.ofMillis(200)).inject(stack.context);
        exchange();
        Effect bit = closed(slow);
        assertThat(bit.bit()).as(bit.line()).isTrue();
        assertThat(bit.value("connections through the proxy").orElseThrow()).isPositive();
        assertThat(bit.value("bytes to the destination").orElseThrow()).isPositive();
        assertThat(bit.value("bytes back").orElseThrow()).isPositive();
    }

    // ---- engine-level faults: what inspect shows against what it showed before

    @Test
    void pauseIsSeenPausedUnlessSomethingElseUnpausedIt() {
        Effect bit = closed(PauseFault.of("db").inject(stack.context));
        assertThat(bit.bit()).as(bit.line()).isTrue();
        assertThat(bit.summary()).contains("seen paused while the fault was on");

        Injection undone = PauseFault.of("db").inject(stack.context);
        ItStack.docker("unpause", db.id());
        Effect missed = closed(undone);
        assertThat(missed.none()).as(missed.line()).isTrue();
        assertThat(missed.cause().orElseThrow()).contains("was not paused when the revert came")
                .contains("(found running)");
    }

    @Test
    void aKillIsSeenOnlyWhenTheMainProcessDied() {
        // PID 1 of a container ignores a signal it has no handler for: SIGUSR1 to sleep changes nothing
        ContainerInfo victim = stack.service("victim", "no", ItStack.BASE, "sleep", "infinity");
        Effect ignored = closed(KillFault.of("victim", Signal.USR1).inject(stack.context));
        assertThat(ignored.none()).as(ignored.line()).isTrue();
        assertThat(ignored.cause().orElseThrow()).contains("kept running with the same main process");

        Effect killed = closed(KillFault.of("victim", Signal.KILL).inject(stack.context));
        assertThat(killed.bit()).as(killed.line()).isTrue();
        assertThat(killed.value("deaths")).contains(1L);
        assertThat(killed.value("exit code")).contains(137L);
        assertThat(stack.engine.inspect(victim.id()).running()).isFalse();
    }

    @Test
    void crashRestartAndStopAreSeenByTheEngine() {
        ContainerInfo phoenix = stack.service("phoenix", "always", ItStack.BASE, "sleep", "infinity");
        Effect crash = closed(CrashFault.of("phoenix").inject(stack.context));
        assertThat(crash.bit()).as(crash.line()).isTrue();
        assertThat(crash.value("deaths")).contains(1L);
        await().atMost(Duration.ofSeconds(20)).until(() -> stack.engine.inspect(phoenix.id()).running());

        Effect restart = closed(RestartFault.of("phoenix").timeout(Duration.ZERO).inject(stack.context));
        assertThat(restart.bit()).as(restart.line()).isTrue();
        assertThat(restart.summary()).contains("Docker started it again");

        Effect stop = closed(StopFault.of("phoenix").timeout(Duration.ZERO).inject(stack.context));
        assertThat(stop.bit()).as(stop.line()).isTrue();
        assertThat(stop.summary()).contains("seen exited");
        assertThat(stack.engine.inspect(phoenix.id()).running()).isTrue();

        // a stop undone behind its back (someone started the container again) is not seen at the revert
        Injection undone = StopFault.of("phoenix").timeout(Duration.ZERO).inject(stack.context);
        ItStack.docker("start", phoenix.id());
        Effect missed = closed(undone);
        assertThat(missed.none()).as(missed.line()).isTrue();
        assertThat(missed.cause().orElseThrow()).contains("something else started it").contains("(found running)");
        assertThat(stack.engine.inspect(phoenix.id()).running()).isTrue();
    }

    @Test
    void aSignalSaysWhichProcessesGotItAndWhatBecameOfThem() {
        // a pattern that matches nothing reaches nothing: none, with what runs there (web's PID 1 is bash, its servers perl)
        Effect missed = closed(SignalFault.of("web", Signal.TERM, "^no-such-process").inject(stack.context));
        assertThat(missed.none()).as(missed.line()).isTrue();
        assertThat(missed.value("processes signalled")).contains(0L);
        assertThat(missed.summary()).isEqualTo("SIGTERM reached no process in " + web.name() + ": 0 processes matched '^no-such-process'");
        assertThat(missed.cause().orElseThrow()).startsWith("no process in " + web.name() + " matches '^no-such-process'; what runs there:"
                + " bash (PID 1), perl \u00d72");

        stack.sh(web, "nohup sleep 300 >/dev/null 2>&1 &");
        Effect bit = closed(SignalFault.of("web", Signal.TERM, "^sleep 300").all().inject(stack.context));
        assertThat(bit.bit()).as(bit.line()).isTrue();
        assertThat(bit.value("processes signalled")).contains(1L);
        assertThat(bit.value("processes gone")).contains(1L);
        assertThat(bit.summary()).contains("1 gone");
    }

    // ---- resource faults: the cgroup's own counters

    @Test
    void cpuQuotaCountsTheThrottledPeriodsOnlyWhenTheTargetWantedMore() {
        Effect idle = closed(CpuQuotaFault.of("db", 0.5).inject(stack.context));
        assertThat(idle.none()).as(idle.line()).isTrue();
        assertThat(idle.value("throttled periods")).contains(0L);

        Injection quota = CpuQuotaFault.of("web", 0.1).inject(stack.context);
        stack.sh(web, "timeout 2 bash -c 'while :; do :; done'; true");
        Effect bit = closed(quota);
        assertThat(bit.bit()).as(bit.line()).isTrue();
        assertThat(bit.value("throttled periods").orElseThrow()).isPositive();
    }

    @Test
    void cpuStressCountsTheBurnersCpuTimeInTheTargetsCgroup() {
        Injection stress = CpuStressFault.of("web", 1, Duration.ofSeconds(20)).inject(stack.context);
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
        Effect bit = closed(stress);
        assertThat(bit.bit()).as(bit.line()).isTrue();
        assertThat(bit.value("burner CPU time").orElseThrow()).isPositive();
        // nested under web's cgroup (v1 here): web's own figure includes the burners
        assertThat(bit.value("target CPU time").orElseThrow()).isGreaterThanOrEqualTo(bit.value("burner CPU time").orElseThrow());
    }

    @Test
    void memoryStressCountsWhatTheStressorHeldAndDiskFillWhatItWrote() {
        Injection memory = MemoryStressFault.of("web", 32L << 20, Duration.ofSeconds(20)).inject(stack.context);
        await().atMost(Duration.ofSeconds(15)).until(() -> memory.effect().bit());
        Effect held = closed(memory);
        assertThat(held.value("bytes held").orElseThrow()).as(held.line()).isGreaterThanOrEqualTo(16L << 20);

        Effect fill = closed(DiskFillFault.bytes("web", "/data", 8L << 20).inject(stack.context));
        assertThat(fill.bit()).as(fill.line()).isTrue();
        assertThat(fill.value("bytes written").orElseThrow()).isGreaterThanOrEqualTo(8L << 20);
        assertThat(fill.value("filesystem used").orElseThrow()).isGreaterThanOrEqualTo(50L);

        // the fill file deleted behind the fault's back holds nothing when the revert reads it
        Injection undone = DiskFillFault.bytes("web", "/data", 8L << 20).inject(stack.context);
        ExecResult rm = stack.sh(web, "rm -v /data/.faultline-fill-*");
        assertThat(rm.exitCode()).as(rm.stderr()).isZero();
        Effect missed = closed(undone);
        assertThat(missed.none()).as(missed.line()).isTrue();
        assertThat(missed.value("bytes written")).contains(0L);
        assertThat(missed.cause().orElseThrow()).contains("the fill file held no space when read");
    }
}
