package dev.faultline.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.core.engine.EngineEvent;
import dev.faultline.core.engine.ResourceUsage;
import dev.faultline.core.testing.FakeEngine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

class MonitorCommandTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void plainRefreshesShowEveryServiceTheProbeAndEvents() throws Exception {
        FakeEngine engine = new FakeEngine().add(FakeEngine.container("shop", "web")).add(FakeEngine.container("shop", "db"))
                .usage(new ResourceUsage(Instant.now(), "x", 12.4, 64L * 1048576, 0));
        try (MockWebServer server = new MockWebServer()) {
            for (int i = 0; i < 5; i++) {
                server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
            }
            server.start();
            // the event comes once the monitor has subscribed, as a real one would
            Thread emitter = new Thread(() -> {
                org.awaitility.Awaitility.await().until(() -> engine.calls().stream().anyMatch(c -> c.startsWith("events")));
                engine.emit(new EngineEvent(Instant.parse("2026-11-27T07:00:00Z"), "id", "web", "exec_start: pg_isready", Map.of()));
                engine.emit(new EngineEvent(Instant.parse("2026-11-27T07:00:01Z"), "id", "web", "die", Map.of("exitCode", "137")));
            });
            emitter.start();

            int code = MonitorCommand.run(() -> engine, Map.of("FAULTLINE_PROJECT", "shop", "FAULTLINE_PLAIN", "1",
                    "TERM", "xterm", "FAULTLINE_INTERVAL", "200ms", "FAULTLINE_DURATION", "300ms",
                    "FAULTLINE_URL", server.url("/health/").toString()), out);

            assertThat(code).isZero();
            emitter.join();
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).doesNotContain("\033[").contains("faultline monitor  project shop")
                .containsPattern("web +shop_web_1 +running +healthy +0 +12% +64 MiB")
                .contains("07:00:01  web  die (exit 137)").doesNotContain("exec_start")
                .containsPattern("db +shop_db_1 +running").contains("OK in ");
        // two refreshes of 200 ms in 300 ms
        assertThat(printed.split("faultline monitor", -1)).hasSize(3);
    }

    @Test
    void badParametersExitTwo() {
        assertThat(MonitorCommand.run(FakeEngine::new, Map.of("FAULTLINE_INTERVAL", "fast"), out)).isEqualTo(2);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("Bad parameter: FAULTLINE_INTERVAL must be a duration "
                + "such as 500ms, 2s, 5m (a bare number is seconds), got 'fast'");
        assertThat(MonitorCommand.duration("d", "90")).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void anUnknownProjectExitsTwo() {
        assertThat(MonitorCommand.run(FakeEngine::new, Map.of("FAULTLINE_PROJECT", "none", "FAULTLINE_DURATION", "1s"), out))
                .isEqualTo(2);
    }
}
