package dev.faultline.core.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.faultline.core.load.LoadSummary;
import dev.faultline.core.load.RequestRecord;
import dev.faultline.core.load.ResultsWriter;
import dev.faultline.core.probe.ErrorClass;
import dev.faultline.core.load.TestServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadCommandTest {

    private TestServer server;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() throws IOException {
        server = new TestServer();
    }

    @AfterEach
    void tearDown() throws IOException {
        server.close();
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void allSucceededExitsZero() {
        Path results = dir.resolve("results.jsonl");
        int code = LoadCommand.run(Map.of("FAULTLINE_URL", server.url(), "FAULTLINE_RATE", "20",
                "FAULTLINE_DURATION", "500ms", "FAULTLINE_RESULTS", results.toString()), out);
        assertThat(code).isZero();
        assertThat(output()).contains("Load: GET " + server.url() + " at 20/s for 0.5s (10 requests)",
                "Success       [ratio]", "100.00%", "OK: 10 of 10 requests succeeded");
        assertThat(ResultsWriter.read(results)).hasSize(10);
    }

    @Test
    void anyFailureExitsOne() {
        int code = LoadCommand.run(Map.of("FAULTLINE_URL", server.url() + "status/503", "FAULTLINE_RATE", "10",
                "FAULTLINE_DURATION", "300ms", "FAULTLINE_METHOD", "post", "FAULTLINE_BODY", "{}"), out);
        assertThat(code).isEqualTo(1);
        assertThat(output()).contains("503: 3", "FAILED: 0 of 3 requests succeeded");
        assertThat(server.seen).allSatisfy(s -> assertThat(s.method()).isEqualTo("POST"));
    }

    @Test
    void theGeneratorWarmsUpOnAServerOfItsOwnBeforeTheLoad() {
        int code = LoadCommand.run(Map.of("FAULTLINE_URL", server.url(), "FAULTLINE_RATE", "20",
                "FAULTLINE_DURATION", "500ms", "FAULTLINE_WARMUP", "200ms"), out);

        assertThat(code).isZero();
        assertThat(output()).contains("Warm-up: 1000 requests at 5000/s to a server inside this JVM, none to the target (");
        assertThat(server.seen).hasSize(10);
    }

    @Test
    void aboveFiveThousandASecondTheDefaultWarmUpRunsUntilTheCompilerCaughtUp() {
        assertThat(LoadCommand.WarmUpPlan.of(null, 50)).isEqualTo(new LoadCommand.WarmUpPlan(Duration.ofSeconds(1), 5000, false));
        assertThat(LoadCommand.WarmUpPlan.of(null, 5000)).isEqualTo(new LoadCommand.WarmUpPlan(Duration.ofSeconds(1), 5000, false));
        assertThat(LoadCommand.WarmUpPlan.of(null, 8000)).isEqualTo(new LoadCommand.WarmUpPlan(Duration.ofSeconds(10), 8000, true));
        // the sink shares this JVM: faster than 10 000/s the warm-up would run congested, not the steady path
        assertThat(LoadCommand.WarmUpPlan.of(null, 60_000)).isEqualTo(new LoadCommand.WarmUpPlan(Duration.ofSeconds(10), 10_000, true));
        // FAULTLINE_WARMUP given: that long, at 5000/s, whatever the rate; 0 for none
        assertThat(LoadCommand.WarmUpPlan.of(Duration.ofSeconds(2), 60_000)).isEqualTo(new LoadCommand.WarmUpPlan(Duration.ofSeconds(2), 5000, false));
        assertThat(LoadCommand.WarmUpPlan.of(Duration.ZERO, 60_000).duration()).isZero();
    }

    @Test
    void theDefaultWarmUpForAnotherLoadInThisJvmIsTheScriptsAtThatRate() {
        LoadCommand.defaultWarmUp(50, out);

        assertThat(output()).startsWith("Warm-up: 5000 requests at 5000/s to a server inside this JVM, none to the target (");
    }

    @Test
    void theDefaultWarmUpRefusesARateOutsideItsRange() {
        for (double rate : new double[] {0, -1, 1_000_001, Double.NaN}) {
            assertThatThrownBy(() -> LoadCommand.defaultWarmUp(rate, out))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rate must be in (0, 1000000] per second, was " + rate);
        }
        assertThat(output()).isEmpty();
    }

    @Test
    void noWarmUpWhenItIsZero() {
        int code = LoadCommand.run(Map.of("FAULTLINE_URL", server.url(), "FAULTLINE_RATE", "20",
                "FAULTLINE_DURATION", "200ms", "FAULTLINE_WARMUP", "0", "FAULTLINE_CONNECTIONS", "1"), out);

        assertThat(code).isZero();
        assertThat(output()).doesNotContain("Warm-up");
        assertThat(server.seen).hasSize(4);
        assertThat(server.acceptedConnections()).isEqualTo(1);
    }

    /** 100 requests: {@code late} of them reached 60 ms late, {@code dropped} of them dropped (on time). */
    private static LoadSummary summary(int late, int dropped) {
        List<RequestRecord> records = new ArrayList<>();
        long ms = 1_000_000;
        for (int i = 0; i < 100; i++) {
            long t = i * 10 * ms, lag = i < late ? 60 * ms : 0;
            records.add(i >= 100 - dropped
                    ? new RequestRecord(t, RequestRecord.NOT_SENT, RequestRecord.NOT_SENT, 0, ErrorClass.OTHER, "GET /", null, null, lag)
                    : new RequestRecord(t, t + lag, lag + ms, 200, ErrorClass.NONE, "GET /", null, null, lag));
        }
        return LoadSummary.of(records);
    }

    @Test
    void theGeneratorIsNamedAsTheLimitWhenItWasLateOrBusyWithItsCapFull() {
        // on time, nothing dropped: no line, however busy this JVM was
        assertThat(LoadCommand.generatorLimit(summary(0, 0), 1024, 0.9, 2)).isEmpty();
        // 2 % late: the generator
        assertThat(LoadCommand.generatorLimit(summary(2, 0), 1024, 0.1, 2)).hasValueSatisfying(line -> assertThat(line)
                .isEqualTo("Limit: the generator, not the target: it got to 2 of 100 requests more than 50 ms late; none"
                        + " was dropped; this JVM used 10 % of 2 CPUs. The figures measure this machine as much as the"
                        + " target"));
        // the cap full with this JVM nearly idle: answers were not coming back, the target's doing
        assertThat(LoadCommand.generatorLimit(summary(0, 40), 1024, 0.2, 2)).isEmpty();
        // the cap full with this JVM using half the machine or more: the generator's
        assertThat(LoadCommand.generatorLimit(summary(0, 40), 1024, LoadCommand.BUSY_CPU_SHARE, 2)).hasValueSatisfying(
                line -> assertThat(line).contains("it got to 0 of 100 requests more than 50 ms late; 40 were dropped, its"
                        + " 1024 in-flight slots full; this JVM used 50 % of 2 CPUs"));
        assertThat(LoadCommand.generatorLimit(summary(0, 0), 1024, 1.0, 2)).isEmpty();
    }

    @Test
    void badParametersExitTwo() {
        assertThat(LoadCommand.run(Map.of("FAULTLINE_RATE", "fast"), out)).isEqualTo(2);
        assertThat(LoadCommand.run(Map.of("FAULTLINE_DURATION", "soon"), out)).isEqualTo(2);
        assertThat(LoadCommand.run(Map.of("FAULTLINE_URL", "localhost:8081"), out)).isEqualTo(2);
        assertThat(LoadCommand.run(Map.of("FAULTLINE_URL", server.url(), "FAULTLINE_METHOD", "GET", "FAULTLINE_BODY", "x"), out))
                .isEqualTo(2);
        assertThat(LoadCommand.run(Map.of("FAULTLINE_RATE", "5"), out)).isEqualTo(2);
        assertThat(LoadCommand.run(Map.of("FAULTLINE_URL", server.url(), "FAULTLINE_WARMUP", "2m"), out)).isEqualTo(2);
        assertThat(LoadCommand.run(Map.of("FAULTLINE_URL", server.url(), "FAULTLINE_CONNECTIONS", "2000"), out)).isEqualTo(2);
        assertThat(LoadCommand.run(Map.of("FAULTLINE_URL", server.url(), "FAULTLINE_RESULTS", "/proc/no/such/dir/r.jsonl"), out))
                .isEqualTo(2);
        assertThat(output()).contains(
                "Bad parameter: FAULTLINE_RATE must be a number > 0 of requests per second, got 'fast'",
                "Bad parameter: FAULTLINE_DURATION must be a duration such as 500ms, 2s, 5m or PT2S, got 'soon'",
                "Bad parameter: FAULTLINE_URL must be an http:// or https:// URL, got 'localhost:8081'",
                "Bad parameter: FAULTLINE_URL must be set",
                "Bad parameter: FAULTLINE_WARMUP must be 0 (none) or in [1ms, 60s], got '2m'",
                "Bad parameter: FAULTLINE_CONNECTIONS must be a whole number in [1, 1024], got '2000'",
                "Bad parameter: GET ", "Bad parameter: FAULTLINE_RESULTS: cannot write results to /proc/no/such/dir/r.jsonl");
    }

    @Test
    void parsesDurations() {
        assertThat(Settings.duration("D", "10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Settings.duration("D", "1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Settings.duration("D", "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Settings.duration("D", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Settings.duration("D", "PT3S")).isEqualTo(Duration.ofSeconds(3));
    }
}
