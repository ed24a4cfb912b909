package dev.faultline.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.core.engine.EngineEvent;
import dev.faultline.core.engine.ResourceUsage;
import dev.faultline.core.testing.FakeEngine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
            // the events come once the monitor has subscribed, as a real engine's would; delivered on
            // subscription, so no thread races the first refresh
            engine.emitOnSubscribe(
                    new EngineEvent(Instant.parse("2026-11-27T07:00:00Z"), "id", "web", "exec_start: pg_isready", Map.of()),
                    new EngineEvent(Instant.parse("2026-11-27T07:00:01Z"), "id", "web", "die", Map.of("exitCode", "137")));

            int code = MonitorCommand.run(() -> engine, Map.of("FAULTLINE_PROJECT", "shop", "FAULTLINE_PLAIN", "1",
                    "TERM", "xterm", "FAULTLINE_INTERVAL", "200ms", "FAULTLINE_DURATION", "300ms",
                    "FAULTLINE_URL", server.url("/health/").toString()), out);

            assertThat(code).isZero();
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).doesNotContain("\033[").contains("faultline monitor  project shop")
                .containsPattern("web +shop_web_1 +running +healthy +0 +12% +64 MiB")
                .contains("07:00:01  web  die (exit 137)").doesNotContain("exec_start")
                .containsPattern("db +shop_db_1 +running")
                // OK or FAILED: the probe's own timeout is min(interval, 2 s), and on a loaded machine the first
                // request (client start-up included) has taken 2 s; whether it answered in time is HttpProbe's test
                .containsPattern("steady state  GET http://localhost:\\d+/health/ -> 200\\.\\.299  (OK|FAILED) in \\d+ ms");
        // two refreshes of 200 ms in 300 ms
        assertThat(printed.split("faultline monitor", -1)).hasSize(3);
    }

    @Test
    void badParametersExitTwo() {
        assertThat(MonitorCommand.run(FakeEngine::new, Map.of("FAULTLINE_INTERVAL", "fast"), out)).isEqualTo(2);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("Bad parameter: FAULTLINE_INTERVAL must be a duration "
                + "such as 500ms, 2s, 5m or PT2S, got 'fast'");
        assertThat(MonitorCommand.run(FakeEngine::new, Map.of("FAULTLINE_URL", "http://127.0.0.1:9/health/"), out)).isEqualTo(2);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("Bad parameter: FAULTLINE_PROJECT must be set");
    }

    @Test
    void anUnknownProjectExitsTwo() {
        assertThat(MonitorCommand.run(FakeEngine::new, Map.of("FAULTLINE_PROJECT", "none", "FAULTLINE_DURATION", "1s",
                "FAULTLINE_URL", "http://127.0.0.1:9/health/"), out))
                .isEqualTo(2);
    }
}
