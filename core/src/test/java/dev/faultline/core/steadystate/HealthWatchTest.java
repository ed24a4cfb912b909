package dev.faultline.core.steadystate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.core.probe.ErrorClass;
import dev.faultline.core.probe.Probe;
import dev.faultline.core.probe.ProbeResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthWatchTest {

    /** Time that only moves when the watch sleeps or a check "takes" time. */
    static final class FakeTicker implements Ticker {
        static final Instant EPOCH = Instant.parse("2026-11-27T06:00:00Z");
        long now = 1_000_000_000L;
        final List<Long> sleptUntil = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public Instant now() {
            return EPOCH.plusNanos(now - 1_000_000_000L);
        }

        @Override
        public void sleepUntil(long deadline) {
            sleptUntil.add(deadline);
            now = Math.max(now, deadline);
        }
    }

    /** Answers from a script of (ok?, latency ms, error class); each check advances the fake time by its latency. */
    static Probe scripted(FakeTicker ticker, String script) {
        Iterator<String> steps = List.of(script.split(" ")).iterator();
        return new Probe() {
            @Override
            public String name() {
                return "fake";
            }

            @Override
            public ProbeResult check() {
                String[] step = steps.next().split(":");
                Instant time = ticker.now();
                Duration latency = Duration.ofMillis(Long.parseLong(step[1]));
                ticker.now += latency.toNanos();
                boolean ok = step[0].equals("ok");
                ErrorClass error = ok ? ErrorClass.NONE : ErrorClass.valueOf(step[0]);
                return new ProbeResult("fake", time, ok, latency, error, ok ? "200" : error.label());
            }
        };
    }

    @Test
    void schedulesAtAFixedRateWhateverTheLatency() {
        FakeTicker ticker = new FakeTicker();
        HealthSummary s = HealthWatch.of(scripted(ticker, "ok:10 ok:300 ok:20 ok:5"))
                .every(Duration.ofSeconds(1)).during(Duration.ofSeconds(4)).ticker(ticker).run();
        assertThat(ticker.sleptUntil).containsExactly(1_000_000_000L, 2_000_000_000L, 3_000_000_000L, 4_000_000_000L);
        assertThat(s.checks()).isEqualTo(4);
        assertThat(s.availabilityPercent()).isEqualTo(100.0);
        assertThat(s.longestOutage()).isEmpty();
        assertThat(s.held(100)).isTrue();
    }

    @Test
    void sumsUpAvailabilityLatencyOutagesAndErrors() {
        FakeTicker ticker = new FakeTicker();
        // 10 checks, 1 s apart: one failure at t=1, then an outage of 3 checks from t=4 to the good check at t=7.
        String script = "ok:10 REFUSED:1 ok:20 ok:30 HTTP_502:5 HTTP_502:6 TIMEOUT:900 ok:40 ok:50 ok:60";
        HealthSummary s = HealthWatch.of(scripted(ticker, script)).every(Duration.ofSeconds(1)).during(Duration.ofSeconds(10))
                .ticker(ticker).run();
        assertThat(s.checks()).isEqualTo(10);
        assertThat(s.ok()).isEqualTo(6);
        assertThat(s.failed()).isEqualTo(4);
        assertThat(s.availabilityPercent()).isEqualTo(60.0);
        assertThat(s.held(60)).isTrue();
        assertThat(s.held(60.1)).isFalse();
        assertThat(s.errors()).isEqualTo(Map.of(ErrorClass.REFUSED, 1, ErrorClass.HTTP_502, 2, ErrorClass.TIMEOUT, 1));
        // latencies sorted: 1 5 6 10 20 30 40 50 60 900 -> p50 = 5th = 20, p99 = 10th = 900
        assertThat(s.p50()).isEqualTo(Duration.ofMillis(20));
        assertThat(s.p99()).isEqualTo(Duration.ofMillis(900));
        assertThat(s.longestOutage()).hasValueSatisfying(o -> {
            assertThat(o.start()).isEqualTo(FakeTicker.EPOCH.plusSeconds(4));
            assertThat(o.duration()).isEqualTo(Duration.ofSeconds(3));
            assertThat(o.failedChecks()).isEqualTo(3);
            assertThat(o.recovered()).isTrue();
        });
        assertThat(s.render()).contains("availability    60.00 % (6 ok, 4 failed)", "p50 20 ms, p99 900 ms",
                "longest outage  3 s from 06:00:04.000 (3 failed checks)", "errors          502: 2, connection refused: 1, timeout: 1");
    }

    @Test
    void anOutageAtTheEndLastsUntilTheEndOfTheWatch() {
        FakeTicker ticker = new FakeTicker();
        HealthSummary s = HealthWatch.of(scripted(ticker, "ok:1 ok:1 REFUSED:1 REFUSED:1"))
                .every(Duration.ofSeconds(1)).during(Duration.ofSeconds(4)).ticker(ticker).run();
        assertThat(s.longestOutage()).hasValueSatisfying(o -> {
            assertThat(o.duration()).isEqualTo(Duration.ofSeconds(2));
            assertThat(o.recovered()).isFalse();
        });
        assertThat(s.render()).contains("not recovered at the end");
    }

    @Test
    void aSlowCheckSkipsTheSlotsItRanPast() {
        FakeTicker ticker = new FakeTicker();
        HealthSummary s = HealthWatch.of(scripted(ticker, "TIMEOUT:2500 ok:1 ok:1"))
                .every(Duration.ofSeconds(1)).during(Duration.ofSeconds(5)).ticker(ticker).run();
        assertThat(ticker.sleptUntil).containsExactly(1_000_000_000L, 4_000_000_000L, 5_000_000_000L);
        assertThat(s.checks()).isEqualTo(3);
        assertThat(s.skipped()).isEqualTo(2);
    }

    @Test
    void printsOneLinePerCheck() {
        FakeTicker ticker = new FakeTicker();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        HealthWatch.of(scripted(ticker, "ok:3 HTTP_503:12")).every(Duration.ofMillis(500)).during(Duration.ofSeconds(1))
                .ticker(ticker).printTo(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "06:00:00.000  ok       3.0 ms  200",
                "06:00:00.500  FAIL      12 ms  503  [503]");
    }

    @Test
    void plansChecksFromDurationAndInterval() {
        Probe p = scripted(new FakeTicker(), "ok:1");
        assertThat(HealthWatch.of(p).plannedChecks()).isEqualTo(30);
        assertThat(HealthWatch.of(p).every(Duration.ofMillis(300)).during(Duration.ofSeconds(1)).plannedChecks()).isEqualTo(4);
        assertThat(HealthWatch.of(p).every(Duration.ofSeconds(5)).during(Duration.ofSeconds(1)).plannedChecks()).isEqualTo(1);
    }

    @Test
    void rejectsBadSettings() {
        Probe p = scripted(new FakeTicker(), "ok:1");
        assertThatThrownBy(() -> HealthWatch.of(p).every(Duration.ZERO)).hasMessage("interval must be in [1 ms, 1 h], got PT0S");
        assertThatThrownBy(() -> HealthWatch.of(p).during(Duration.ofSeconds(-1))).hasMessage("duration must be in (0, 7 days], got PT-1S");
    }
}
