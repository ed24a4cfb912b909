package dev.faultline.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void spansAndSettings() {
        assertThat(Durations.words(Duration.ofMillis(250))).isEqualTo("250 ms");
        assertThat(Durations.words(Duration.ofSeconds(30))).isEqualTo("30 s");
        assertThat(Durations.words(Duration.ofMillis(1500))).isEqualTo("1.5 s");
        assertThat(Durations.words(Duration.ofMinutes(2))).isEqualTo("2 min");
        assertThat(Durations.words(41_500)).isEqualTo("41.5 s");
    }

    @Test
    void offsetsAreSigned() {
        assertThat(Durations.offset(Duration.ofMillis(7240))).isEqualTo("+7.2 s");
        assertThat(Durations.offset(0)).isEqualTo("+0.0 s");
        assertThat(Durations.offset(-300)).isEqualTo("-0.3 s");
    }

    @Test
    void latencies() {
        assertThat(Durations.latency(Duration.ofNanos(4_200_000))).isEqualTo("4.2 ms");
        assertThat(Durations.latency(Duration.ofNanos(187_400_000))).isEqualTo("187 ms");
        assertThat(Durations.latency(12.6)).isEqualTo("13 ms");
    }
}
