package dev.faultline.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AbortMonitorTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Instant at(long millis) {
        return T0.plusMillis(millis);
    }

    @Test
    void firesOnlyOnceTheWholeWindowWasObservedAboveTheThreshold() {
        AbortMonitor monitor = new AbortMonitor(List.of(new AbortRule(0.9, Duration.ofSeconds(2))));
        Optional<String> fired = Optional.empty();
        long t = 0;
        // Every call fails from the start, but the rule needs 2 s of observation.
        for (; t < 2000 && fired.isEmpty(); t += 100) {
            fired = monitor.record(at(t), false);
        }
        assertThat(fired).isEmpty();
        fired = monitor.record(at(2000), false);
        assertThat(fired).contains("aborted: 21 of 21 calls failed (100%) over the last 2 s, above the abort threshold of 90%");
        assertThat(monitor.record(at(2100), false)).as("fires once").isEmpty();
    }

    @Test
    void aShortBurstAmongSuccessesDoesNotFire() {
        AbortMonitor monitor = new AbortMonitor(List.of(new AbortRule(0.5, Duration.ofSeconds(1))));
        for (long t = 0; t <= 5000; t += 100) {
            boolean ok = t < 2000 || t >= 2400; // 4 failures in a row
            assertThat(monitor.record(at(t), ok)).isEmpty();
        }
    }
}
