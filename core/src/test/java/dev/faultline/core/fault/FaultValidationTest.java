package dev.faultline.core.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every fault rejects bad arguments when it is built, naming the argument, the value and the allowed range. */
class FaultValidationTest {

    @Test
    void serviceMustBeNamed() {
        assertThatThrownBy(() -> CrashFault.of(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("service must be a non-blank Compose service name, got 'null'");
        assertThatThrownBy(() -> PauseFault.of("  ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("service must be a non-blank Compose service name, got '  '");
        assertThatThrownBy(() -> NetworkLatencyFault.of("web", "", 5432, Duration.ofMillis(10)))
                .hasMessage("service must be a non-blank Compose service name, got ''");
    }

    @Test
    void targetingIsChecked() {
        assertThatThrownBy(() -> CrashFault.of("web").index(-1)).hasMessage("index must be >= 0, got -1");
        assertThatThrownBy(() -> CrashFault.of("web").limit(0)).hasMessage("limit must be in [1, 1000], got 0");
    }

    @Test
    void cpuStressBounds() {
        assertThatThrownBy(() -> CpuStressFault.of("web", 0, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("burners must be in [1, 64], got 0");
        assertThatThrownBy(() -> CpuStressFault.of("web", 65, Duration.ofSeconds(5)))
                .hasMessage("burners must be in [1, 64], got 65");
        assertThatThrownBy(() -> CpuStressFault.of("web", 2, Duration.ZERO))
                .hasMessage("duration must be in (0, PT24H], got PT0S");
        assertThatThrownBy(() -> CpuStressFault.of("web", 2, Duration.ofSeconds(-1)))
                .hasMessage("duration must be in (0, PT24H], got PT-1S");
        assertThatThrownBy(() -> CpuStressFault.of("web", 2, null)).hasMessage("duration must be in (0, PT24H], got null");
        assertThatThrownBy(() -> CpuStressFault.of("web", 2, Duration.ofSeconds(5)).load(0))
                .hasMessage("load must be in [1, 100], got 0");
        assertThat(CpuStressFault.of("web", 64, Duration.ofHours(24)).burners()).isEqualTo(64);
    }

    @Test
    void cpuQuotaBounds() {
        assertThatThrownBy(() -> CpuQuotaFault.of("web", 0)).hasMessage("cpus must be in [0.01, 64.0], got 0.0");
        assertThatThrownBy(() -> CpuQuotaFault.of("web", Double.NaN)).hasMessage("cpus must be in [0.01, 64.0], got NaN");
        assertThatThrownBy(() -> CpuQuotaFault.of("web", 65)).hasMessage("cpus must be in [0.01, 64.0], got 65.0");
    }

    @Test
    void latencyBounds() {
        assertThatThrownBy(() -> NetworkLatencyFault.of("web", "db", 5432, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("latency must be in [PT0S, PT1M], got PT-0.001S");
        assertThatThrownBy(() -> NetworkLatencyFault.of("web", "db", 5432, Duration.ofSeconds(61)))
                .hasMessage("latency must be in [PT0S, PT1M], got PT1M1S");
        assertThatThrownBy(() -> NetworkLatencyFault.of("web", "db", 5432, Duration.ofMillis(100)).jitter(Duration.ofMillis(101)))
                .hasMessage("jitter must be in [PT0S, PT0.1S], got PT0.101S");
        assertThatThrownBy(() -> NetworkLatencyFault.of("web", "db", 0, Duration.ofMillis(100)))
                .hasMessage("destinationPort must be in [1, 65535], got 0");
        assertThatThrownBy(() -> NetworkLatencyFault.of("web", "db", 5432, Duration.ofMillis(100)).lasting(Duration.ZERO))
                .hasMessage("duration must be in (0, PT24H], got PT0S");
        assertThat(NetworkLatencyFault.of("web", "db", 5432, Duration.ZERO).latency()).isZero();
    }

    @Test
    void signalsAndPatterns() {
        assertThatThrownBy(() -> Signal.of("KILL; rm -rf /"))
                .hasMessage("signal must be one of HUP(1), INT(2), QUIT(3), ABRT(6), KILL(9), USR1(10), USR2(12), PIPE(13), ALRM(14),"
                        + " TERM(15), CONT(18), STOP(19), TSTP(20), WINCH(28) (a name, with or without SIG, or its number),"
                        + " got 'KILL; rm -rf /'");
        assertThat(Signal.of(" sigterm")).isEqualTo(Signal.TERM);
        assertThat(Signal.of("KILL")).isEqualTo(Signal.KILL);
        assertThat(Signal.of("9")).isEqualTo(Signal.KILL);
        assertThatThrownBy(() -> Signal.of(null)).hasMessageEndingWith("got 'null'");
        assertThatThrownBy(() -> KillFault.of("web", null)).hasMessageStartingWith("signal must be one of HUP(1)").hasMessageEndingWith("got null");
        assertThatThrownBy(() -> SignalFault.of("web", null, "gunicorn")).hasMessageEndingWith("got null");
        assertThatThrownBy(() -> SignalFault.of("web", Signal.TERM, " ")).hasMessage("pattern must be non-blank, got ' '");
        assertThatThrownBy(() -> SignalFault.of("web", Signal.TERM, "gunicorn: (worker"))
                .hasMessageStartingWith("pattern must be a regular expression, got 'gunicorn: (worker'");
        assertThatThrownBy(() -> StopFault.of("db").timeout(Duration.ofSeconds(-1)))
                .hasMessage("timeout must be in [PT0S, PT10M], got PT-1S");
    }

    @Test
    void faultsAreValuesAndEachStepReturnsANewOne() {
        CrashFault all = CrashFault.of("web");
        CrashFault one = all.index(1);
        assertThat(all.targeting().index()).isEqualTo(-1);
        assertThat(one.targeting().index()).isEqualTo(1);
        assertThat(one).isEqualTo(CrashFault.of("web").index(1));
        assertThat(one.describe()).startsWith("crash web[1]");
    }
}
