package dev.faultline.core.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class SenderLagTest {

    @Test
    void lateMeansMoreThanFiftyMilliseconds() {
        assertThat(SenderLag.late(Duration.ofMillis(50))).isFalse();
        assertThat(SenderLag.late(Duration.ofMillis(50).plusNanos(1))).isTrue();
        assertThat(SenderLag.late(50_000_000L)).isFalse();
        assertThat(SenderLag.late(50_000_001L)).isTrue();
    }

    @Test
    void behindFromOnePercentOfTheCallsOnAndMoreThanOne() {
        assertThat(SenderLag.behind(0, 0)).isFalse();
        assertThat(SenderLag.behind(0, 10)).isFalse();
        assertThat(SenderLag.behind(2, 201)).isFalse();
        assertThat(SenderLag.behind(2, 200)).isTrue();
        // one late call is one pause, whatever the share
        assertThat(SenderLag.behind(1, 85)).isFalse();
        assertThat(SenderLag.behind(1, 1)).isFalse();
        assertThat(SenderLag.fellBehind("the load generator", "load requests", 1, 101)).isEmpty();
        assertThat(SenderLag.fellBehind("the load generator", "load requests", 2, 100)).hasValueSatisfying(s -> assertThat(s)
                .startsWith("The load generator fell behind its own schedule: it got to 2 of 100 load requests more than 50 ms"));
    }
}
