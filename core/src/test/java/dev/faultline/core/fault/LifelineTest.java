package dev.faultline.core.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The lifeline a latency helper checks every second: it answers while the proxy lives and stops
 * answering for good once the proxy is gone, so the helper deletes its DNAT rule (a rule must never
 * outlive the proxy it points to).
 */
class LifelineTest {

    static boolean connects(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void answersWhileTheProxyLivesAndNeverAgainOnceItIsGone() {
        AtomicBoolean proxyUp = new AtomicBoolean(true);
        try (Lifeline lifeline = new Lifeline(InetAddress.getLoopbackAddress(), proxyUp::get)) {
            int port = lifeline.port();
            assertThat(connects(port)).isTrue();
            assertThat(connects(port)).isTrue();
            proxyUp.set(false);
            connects(port); // the check that finds the proxy gone closes the lifeline
            await().atMost(Duration.ofSeconds(5)).until(() -> !connects(port));
            proxyUp.set(true); // a proxy coming back does not revive it: the helper has removed its rule by then
            assertThat(connects(port)).isFalse();
        }
    }

    @Test
    void closingItIsWhatRevertAndADyingJvmDo() {
        Lifeline lifeline = new Lifeline(InetAddress.getLoopbackAddress(), () -> true);
        int port = lifeline.port();
        assertThat(connects(port)).isTrue();
        lifeline.close();
        lifeline.close(); // idempotent
        assertThat(connects(port)).isFalse();
    }
}
