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
        // the window: the current second (1 call) and the 2 whole seconds before it (10 each)
        assertThat(fired).contains("aborted: 21 of 21 calls failed (100%) over the last 2 s, above the abort threshold of 90%");
        assertThat(monitor.record(at(2100), false)).as("fires once").isEmpty();
    }

    @Test
    void aShortBurstAmongSuccessesDoesNotFire() {
        AbortMonitor monitor = new AbortMonitor(List.of(new AbortRule(0.5, Duration.ofSeconds(1))));
        for (long t = 0; t <= 5000; t += 100) {
            boolean ok = t < 2000 || t >= 2400; // 4 failures in a row, at the start of a second
            assertThat(monitor.record(at(t), ok)).isEmpty();
        }
    }

    @Test
    void oldCallsLeaveTheWindow() {
        AbortMonitor monitor = new AbortMonitor(List.of(new AbortRule(0.5, Duration.ofSeconds(2))));
        // 3 s of successes, then failures: the successes must age out before the rule fires
        for (long t = 0; t < 3000; t += 100) {
            assertThat(monitor.record(at(t), true)).isEmpty();
        }
        Optional<String> fired = Optional.empty();
        long t = 3000;
        for (; fired.isEmpty() && t < 10_000; t += 100) {
            fired = monitor.record(at(t), false);
        }
        // at 4 s the window is seconds 2, 3 and 4: 10 successes, 11 failures
        assertThat(t - 100).isEqualTo(4000);
        assertThat(fired).contains("aborted: 11 of 21 calls failed (52.4%) over the last 2 s, above the abort threshold of 50%");
    }

    @Test
    void aLateObservationCountsInTheNewestSecondAndNeverMovesTheWindowBack() {
        AbortMonitor monitor = new AbortMonitor(List.of(new AbortRule(0.5, Duration.ofSeconds(1))));
        for (long t = 0; t <= 1000; t += 100) {
            assertThat(monitor.record(at(t), true)).isEmpty();
        }
        // calls sent at 0..200 ms that failed after a long timeout, reported at 1 s
        assertThat(monitor.record(at(0), false)).isEmpty();
        assertThat(monitor.record(at(100), false)).isEmpty();
        assertThat(monitor.record(at(1100), true)).isEmpty();
        Optional<String> fired = Optional.empty();
        for (int i = 0; i < 13 && fired.isEmpty(); i++) {
            fired = monitor.record(at(1100), false);
        }
        // seconds 0 and 1: 12 successes; the 2 late failures and 11 more are above half of 25
        assertThat(fired).contains("aborted: 13 of 25 calls failed (52%) over the last 1 s, above the abort threshold of 50%");
    }
}
