package dev.faultline.core.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ExecResult;
import dev.faultline.core.helper.Helpers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Reset, timeout and slow close on the proxy route between real containers, gone after revert. */
class ToxicFaultIT {

    static final int PORT = NetworkLatencyFaultIT.PORT;
    /** One exchange on a new connection; prints the answer (empty when the connection failed). */
    static final String EXCHANGE = "exec 3<>/dev/tcp/$1/" + PORT + " && echo ping >&3 && read -r a <&3; echo \"answer:$a\"";
    /**
     * Exchanges a line, half-closes (FIN), then prints the milliseconds until the server's close arrives:
     * with slow close, the client's FIN reaches the server late and the server's FIN reaches the client late.
     */
    static final String CLOSE_TIMER = "use IO::Socket::INET; $| = 1;"
            + " my $s = IO::Socket::INET->new(PeerAddr => $ARGV[0], PeerPort => " + PORT + ") or die $!;"
            + " print $s \"ping\\n\"; my $a = <$s>; print \"fin\\n\"; shutdown($s, 1); my $rest = <$s>; print \"eof\\n\";";
    /** Stamps each line of CLOSE_TIMER as it arrives (this perl lacks Time::HiRes) and prints the ms from "fin" to "eof". */
    static final String CLOSE_STAMPS = "perl -e \"$1\" \"$2\" | while read -r l; do echo \"$l ${EPOCHREALTIME/./}\"; done"
            + " | awk '$1 == \"fin\" { t0 = $2 } $1 == \"eof\" { printf \"%d\\n\", ($2 - t0) / 1000 }'";

    ItStack stack;
    ContainerInfo web;
    ContainerInfo db;

    @BeforeEach
    void stack() {
        stack = new ItStack("tox");
        db = stack.service("db", "no", ItStack.BASE, "perl", "-e", NetworkLatencyFaultIT.ECHO_SERVER);
        web = stack.service("web", "no", ItStack.BASE, "sleep", "infinity");
        await().atMost(Duration.ofSeconds(20)).until(() -> exchange(5).equals("pong"));
    }

    @AfterEach
    void cleanUp() {
        stack.close();
    }

    String dbIp() {
        return db.ipAddresses().get(stack.network);
    }

    ExecResult sh(String script, String... args) {
        var cmd = new java.util.ArrayList<>(List.of("bash", "-c", script, "sh"));
        cmd.addAll(List.of(args));
        return stack.engine.exec(web.id(), cmd, Duration.ofSeconds(60));
    }

    /** The answer of one exchange bounded by {@code seconds}; "timed out" when it hung. */
    String exchange(int seconds) {
        var r = sh("timeout " + seconds + " bash -c '" + EXCHANGE + "' x " + dbIp());
        if (r.exitCode() == 124) {
            return "timed out";
        }
        return r.stdout().lines().filter(l -> l.startsWith("answer:")).findFirst().map(l -> l.substring(7)).orElse("?");
    }

    long closeMillis() {
        var r = sh(CLOSE_STAMPS, CLOSE_TIMER, dbIp());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return Long.parseLong(r.stdout().strip());
    }

    void assertGone() {
        assertThat(stack.engine.containers(Map.of(Helpers.RUN_ID, stack.runId), true)).isEmpty();
        assertThat(exchange(5)).isEqualTo("pong");
    }

    @Test
    void resetConnectionsFailUntilReverted() {
        Injection reset = ToxicFault.connectionReset("web", "db", PORT, Duration.ZERO).inject(stack.context);
        try {
            assertThat(reset.mechanism()).contains("resetting each connection (RST to both ends) as soon as it opens")
                    .contains("comment faultline:" + stack.runId + ":reset-");
            assertThat(exchange(5)).isEmpty();
        } finally {
            reset.close();
        }
        assertGone();
    }

    @Test
    void timedOutConnectionsHangUntilReverted() {
        Injection timeout = ToxicFault.timeout("web", "db", PORT, Duration.ZERO).inject(stack.context);
        try {
            assertThat(timeout.mechanism()).contains("forwarding nothing either way and holding each connection open until revert");
            assertThat(exchange(2)).isEqualTo("timed out");
        } finally {
            timeout.close();
        }
        assertGone();
    }

    @Test
    void slowCloseDelaysTheCloseBothWays() {
        long before = closeMillis();
        Duration delay = Duration.ofMillis(500);
        Injection slow = ToxicFault.slowClose("web", "db", PORT, delay).inject(stack.context);
        long slowed;
        try {
            assertThat(exchange(5)).as("data still flows").isEqualTo("pong");
            slowed = closeMillis();
        } finally {
            slow.close();
        }
        LoggerFactory.getLogger(ToxicFaultIT.class).info("close took {} ms before, {} ms with a {} ms slow close", before, slowed,
                delay.toMillis());
        assertThat(before).isLessThan(200);
        assertThat(slowed).isBetween(2 * delay.toMillis() - 100, 2 * delay.toMillis() + 1000);
        assertGone();
    }
}
