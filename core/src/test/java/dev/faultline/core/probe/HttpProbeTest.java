package dev.faultline.core.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpProbeTest {

    MockWebServer server = new MockWebServer();

    @BeforeEach
    void start() throws IOException {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    String url() {
        return server.url("/health/").toString();
    }

    @Test
    void okWhenTheStatusMatches() {
        server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
        ProbeResult r = HttpProbe.get(url()).status(200).bodyContains("ok").check();
        assertThat(r.ok()).isTrue();
        assertThat(r.errorClass()).isEqualTo(ErrorClass.NONE);
        assertThat(r.detail()).startsWith("200 in ");
        assertThat(r.latency()).isPositive();
        assertThat(r.probe()).isEqualTo("GET " + url() + " -> 200 containing 'ok'");
    }

    @Test
    void classifiesErrorStatuses() {
        server.enqueue(new MockResponse.Builder().code(502).build());
        server.enqueue(new MockResponse.Builder().code(503).build());
        server.enqueue(new MockResponse.Builder().code(500).build());
        server.enqueue(new MockResponse.Builder().code(404).build());
        server.enqueue(new MockResponse.Builder().code(201).build());
        HttpProbe probe = HttpProbe.get(url()).status(200);
        assertThat(probe.check().errorClass()).isEqualTo(ErrorClass.HTTP_502);
        assertThat(probe.check().errorClass()).isEqualTo(ErrorClass.HTTP_503);
        assertThat(probe.check().errorClass()).isEqualTo(ErrorClass.HTTP_5XX);
        assertThat(probe.check().errorClass()).isEqualTo(ErrorClass.HTTP_4XX);
        ProbeResult created = probe.check();
        assertThat(created.errorClass()).isEqualTo(ErrorClass.UNEXPECTED);
        assertThat(created.detail()).startsWith("201 (expected 200) in");
    }

    @Test
    void acceptsAStatusRange() {
        server.enqueue(new MockResponse.Builder().code(302).build());
        assertThat(HttpProbe.get(url()).statusBetween(200, 399).check().ok()).isTrue();
    }

    @Test
    void failsABodyWithoutTheText() {
        server.enqueue(new MockResponse.Builder().code(200).body("database down").build());
        ProbeResult r = HttpProbe.get(url()).bodyContains("ok").check();
        assertThat(r.ok()).isFalse();
        assertThat(r.errorClass()).isEqualTo(ErrorClass.UNEXPECTED);
        assertThat(r.detail()).contains("body does not contain 'ok'");
    }

    @Test
    void failsASlowAnswer() {
        server.enqueue(new MockResponse.Builder().code(200).headersDelay(200, TimeUnit.MILLISECONDS).build());
        ProbeResult r = HttpProbe.get(url()).latencyBelow(Duration.ofMillis(50)).check();
        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).contains("slower than 50");
        assertThat(r.latency()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void timesOut() {
        server.enqueue(new MockResponse.Builder().code(200).headersDelay(30, TimeUnit.SECONDS).build());
        ProbeResult r = HttpProbe.get(url()).timeout(Duration.ofMillis(200)).check();
        // the class proves the timeout fired before the answer; how promptly it fires is the scheduler's
        // business (4.3 s seen at a load average of 16), so the only upper bound is the server's delay
        assertThat(r.errorClass()).isEqualTo(ErrorClass.TIMEOUT);
        assertThat(r.latency()).isBetween(Duration.ofMillis(150), Duration.ofSeconds(30));
    }

    @Test
    void seesAResetConnection() {
        server.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
        ProbeResult r = HttpProbe.get(url()).check();
        assertThat(r.ok()).isFalse();
        assertThat(r.errorClass()).isEqualTo(ErrorClass.RESET);
    }

    @Test
    void seesARefusedConnection() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProbeResult r = HttpProbe.get("http://127.0.0.1:" + port + "/health/").check();
        assertThat(r.ok()).isFalse();
        assertThat(r.errorClass()).isEqualTo(ErrorClass.REFUSED);
        assertThat(r.detail()).startsWith("connection refused after");
        assertThat(TcpProbe.connect("127.0.0.1", port).check().errorClass()).isEqualTo(ErrorClass.REFUSED);
    }

    @Test
    void tcpProbeConnects() {
        ProbeResult r = TcpProbe.connect("127.0.0.1", server.getPort()).check();
        assertThat(r.ok()).isTrue();
        assertThat(r.probe()).isEqualTo("TCP 127.0.0.1:" + server.getPort());
    }

    @Test
    void rejectsBadSettingsWhenBuilt() {
        assertThatThrownBy(() -> HttpProbe.get("localhost:8081")).hasMessage("url must be an http:// or https:// URL, got 'localhost:8081'");
        assertThatThrownBy(() -> HttpProbe.get(url()).status(99)).hasMessage("expected status min must be in [100, 599], got 99");
        assertThatThrownBy(() -> HttpProbe.get(url()).statusBetween(300, 200)).hasMessage("status range min must be <= max, got 300..200");
        assertThatThrownBy(() -> HttpProbe.get(url()).timeout(Duration.ZERO)).hasMessageContaining("timeout must be in (0, PT5M], got PT0S");
        assertThatThrownBy(() -> HttpProbe.get(url()).latencyBelow(Duration.ofMillis(-1))).hasMessageContaining("latencyBelow must be positive");
        assertThatThrownBy(() -> TcpProbe.connect("db", 0)).hasMessage("port must be in [1, 65535], got 0");
    }

    @Test
    void optionsReturnNewProbes() {
        HttpProbe base = HttpProbe.get(url());
        HttpProbe strict = base.status(204);
        assertThat(base.name()).endsWith("-> 200..299");
        assertThat(strict.name()).endsWith("-> 204");
    }
}
