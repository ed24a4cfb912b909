package dev.faultline.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/** The exit codes of scripts/health-check.jsh: 0 held, 1 not held, 2 bad parameters. */
class HealthCheckCommandTest {

    @StartStop
    final MockWebServer server = new MockWebServer();
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void heldWhenEveryCheckIsOk() {
        for (int i = 0; i < 3; i++) server.enqueue(new MockResponse.Builder().code(200).build());
        // three checks only if none overruns its interval (see notHeldBelowTheMinimum), hence 1 s
        int code = HealthCheckCommand.run(Map.of("FAULTLINE_URL", server.url("/health/").toString(),
                "FAULTLINE_INTERVAL", "1s", "FAULTLINE_DURATION", "3s"), out);
        assertThat(code).isZero();
        assertThat(output()).contains("(3 checks)", "availability    100.00 %", "Steady state HELD");
    }

    @Test
    void notHeldBelowTheMinimum() {
        server.enqueue(new MockResponse.Builder().code(200).build());
        server.enqueue(new MockResponse.Builder().code(502).build());
        // two checks only if the first one ends within the interval (a check that overruns skips the slots
        // it ran past): a cold client took more than 50 ms at a load average of 16, hence 1 s
        int code = HealthCheckCommand.run(Map.of("FAULTLINE_URL", server.url("/health/").toString(),
                "FAULTLINE_INTERVAL", "1s", "FAULTLINE_DURATION", "2s", "FAULTLINE_MIN_AVAILABILITY", "75"), out);
        assertThat(code).isEqualTo(1);
        assertThat(output()).contains("FAIL", "[502]", "errors          502: 1", "Steady state NOT HELD: availability 50.00 % < 75 %");
    }

    @Test
    void quickCheckWithDurationZero() {
        server.enqueue(new MockResponse.Builder().code(204).build());
        int code = HealthCheckCommand.run(Map.of("FAULTLINE_URL", server.url("/").toString(), "FAULTLINE_DURATION", "0",
                "FAULTLINE_EXPECT_STATUS", "204"), out);
        assertThat(code).isZero();
        assertThat(output().lines()).hasSize(1).first().asString().contains("ok", "204 in");
    }

    @Test
    void badParametersExitTwo() {
        assertThat(HealthCheckCommand.run(Map.of("FAULTLINE_DURATION", "forever"), out)).isEqualTo(2);
        assertThat(output()).contains("Bad parameter: FAULTLINE_DURATION must be a duration such as 500ms, 2s, 5m or PT2S, got 'forever'");
    }

    @Test
    void rangesAreTheCommandsOwn() {
        assertThat(HealthCheckCommand.run(Map.of("FAULTLINE_URL", "http://127.0.0.1:9/", "FAULTLINE_INTERVAL", "0"), out)).isEqualTo(2);
        assertThat(output()).contains("Bad parameter: FAULTLINE_INTERVAL must be between 1ms and 1h, got '0'");
        assertThat(HealthCheckCommand.run(Map.of(), out)).isEqualTo(2);
        assertThat(output()).contains("Bad parameter: FAULTLINE_URL must be set");
    }
}
