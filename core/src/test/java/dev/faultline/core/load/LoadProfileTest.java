package dev.faultline.core.load;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LoadProfileTest {

    @Test
    void constantRateIsAnExactArithmeticSchedule() {
        LoadProfile p = LoadProfile.constant(1000, ofSeconds(2));
        assertThat(p.totalRequests()).isEqualTo(2000);
        for (long i = 0; i < 2000; i++) assertThat(p.offsetNanos(i)).isEqualTo(i * 1_000_000);
        assertThat(p.offsetNanos(2000)).isEqualTo(-1);
        assertThat(LoadProfile.constant(3, ofSeconds(1)).offsetNanos(1)).isEqualTo(333_333_333);
    }

    @Test
    void rampsChangeTheRateLinearly() {
        // 0 -> 100/s over 10 s: count(t) = 5 t², so request k leaves at sqrt(k / 5)
        LoadProfile p = LoadProfile.ramp(0, 100, ofSeconds(10));
        assertThat(p.totalRequests()).isEqualTo(500);
        assertThat(p.offsetNanos(0)).isZero();
        assertThat(p.offsetNanos(245) / 1e9).isCloseTo(Math.sqrt(245 / 5.0), within(1e-6));
        assertThat(p.offsetNanos(499) / 1e9).isCloseTo(Math.sqrt(499 / 5.0), within(1e-6));
        // offsets never go backwards
        long last = -1;
        for (long i = 0; i < 500; i++) {
            assertThat(p.offsetNanos(i)).isGreaterThan(last);
            last = p.offsetNanos(i);
        }
    }

    @Test
    void stagesFollowEachOther() {
        LoadProfile p = LoadProfile.constant(10, ofSeconds(1)).rampTo(20, ofSeconds(1)).hold(ofSeconds(1));
        assertThat(p.totalRequests()).isEqualTo(10 + 15 + 20);
        assertThat(p.duration()).isEqualTo(ofSeconds(3));
        assertThat(p.offsetNanos(10)).isEqualTo(1_000_000_000);
        assertThat(p.offsetNanos(25)).isEqualTo(2_000_000_000);
        assertThat(p.offsetNanos(26)).isEqualTo(2_050_000_000);
        assertThat(p.toString()).isEqualTo("10/s for 1s, then 10->20/s for 1s, then 20/s for 1s");
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> LoadProfile.constant(-1, ofSeconds(1)))
                .hasMessage("fromRate must be in [0, 1000000] per second, was -1.0");
        assertThatThrownBy(() -> LoadProfile.constant(Double.NaN, ofSeconds(1)))
                .hasMessage("fromRate must be in [0, 1000000] per second, was NaN");
        assertThatThrownBy(() -> LoadProfile.constant(10, ofMillis(0))).hasMessage("duration must be > 0, was PT0S");
        assertThatThrownBy(() -> LoadProfile.constant(10, ofSeconds(1)).offsetNanos(-1))
                .hasMessage("request index must be >= 0, was -1");
    }
}
