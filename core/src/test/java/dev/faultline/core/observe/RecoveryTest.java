package dev.faultline.core.observe;

import static java.time.Duration.ofMillis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.faultline.core.probe.ErrorClass;

class RecoveryTest {

    private static final long MS = 1_000_000;
    private final Timeline timeline = Timeline.create(RunClock.of(() -> 0, Instant.EPOCH));

    /** Ten requests per bucket from {@code from} to {@code to} (inclusive), {@code errors} of them failed. */
    private void fill(int from, int to, int errors) {
        for (int bucket = from; bucket <= to; bucket++) {
            for (int i = 0; i < 10; i++) {
                long at = bucket * 100 * MS + i * 10 * MS;
                timeline.recordRequest(at, 5 * MS, i < errors ? ErrorClass.HTTP_502 : ErrorClass.NONE);
            }
        }
    }

    @Test
    void measuresDetectionOutageAndRecoveryAfterARevert() {
        fill(0, 21, 0);
        fill(22, 34, 10); // failing from 2.2 s to 3.5 s
        fill(35, 60, 0);
        Recovery r = Recovery.between(timeline, 2_000 * MS, 3_000 * MS, RecoveryCriteria.DEFAULT);

        assertThat(r.timeToDetect()).contains(ofMillis(200));
        assertThat(r.outage()).isEqualTo(ofMillis(1_300));
        assertThat(r.timeToRecover()).contains(ofMillis(500));
        assertThat(r.recovered()).isTrue();
        assertThat(r.requests()).isEqualTo(610);
        assertThat(r.failed()).isEqualTo(130);
        assertThat(r.availability()).isCloseTo(480 / 610.0, within(1e-9));
        // a 99% SLO allows 6.1 failures out of 610
        assertThat(r.errorBudgetConsumed()).isCloseTo(130 / 6.1, within(1e-9));
    }

    @Test
    void aOneShotFaultThatFailsLateIsMeasuredFromItsInjection() {
        fill(0, 24, 0);
        fill(25, 29, 10); // the kill shows 1.5 s after it happened: longer than the healthy run
        fill(30, 50, 0);
        Recovery r = Recovery.between(timeline, 1_000 * MS, null, RecoveryCriteria.DEFAULT);

        assertThat(r.timeToDetect()).contains(ofMillis(1_500));
        assertThat(r.outage()).isEqualTo(ofMillis(500));
        assertThat(r.timeToRecover()).contains(ofMillis(2_000));
    }

    @Test
    void errorsBelowTheThresholdAreHealthyAndGapsBreakARun() {
        fill(0, 9, 0);
        fill(10, 12, 10);
        fill(13, 17, 0);
        // bucket 18 empty: no requests, so not healthy
        fill(19, 40, 0);
        Recovery strict = Recovery.between(timeline, 1_000 * MS, null, RecoveryCriteria.DEFAULT);
        assertThat(strict.timeToRecover()).contains(ofMillis(900)); // run starts at bucket 19

        Recovery shortRun = Recovery.between(timeline, 1_000 * MS, null, RecoveryCriteria.DEFAULT.withHealthyBuckets(5));
        assertThat(shortRun.timeToRecover()).contains(ofMillis(300)); // buckets 13..17 suffice

        Timeline mild = Timeline.create(RunClock.of(() -> 0, Instant.EPOCH));
        for (int i = 0; i < 100; i++) mild.recordRequest(i * MS, MS, i == 0 ? ErrorClass.RESET : ErrorClass.NONE);
        for (int b = 1; b < 20; b++) mild.recordRequest(b * 100 * MS, MS, ErrorClass.NONE);
        Recovery r = Recovery.between(mild, 0, null, RecoveryCriteria.DEFAULT);
        assertThat(r.timeToDetect()).isEmpty(); // 1% errors is under the 5% threshold
        assertThat(r.timeToRecover()).contains(Duration.ZERO);
        assertThat(Recovery.between(mild, 0, null, RecoveryCriteria.DEFAULT.withErrorRatioThreshold(0.01)).timeToDetect())
                .contains(Duration.ZERO);
    }

    @Test
    void aServiceThatNeverRecoversHasNoRecoveryTime() {
        fill(0, 9, 0);
        fill(10, 30, 10);
        Recovery r = Recovery.between(timeline, 1_000 * MS, 2_000 * MS, RecoveryCriteria.DEFAULT);
        assertThat(r.recovered()).isFalse();
        assertThat(r.timeToRecover()).isEmpty();
        assertThat(r.outage()).isEqualTo(ofMillis(2_100));
    }

    @Test
    void nothingFailingMeansNoOutage() {
        fill(0, 30, 0);
        Recovery r = Recovery.between(timeline, 1_000 * MS, 2_000 * MS, RecoveryCriteria.DEFAULT);
        assertThat(r.timeToDetect()).isEqualTo(Optional.empty());
        assertThat(r.outage()).isEqualTo(Duration.ZERO);
        assertThat(r.timeToRecover()).contains(Duration.ZERO);
        assertThat(r.availability()).isEqualTo(1.0);
        assertThat(r.errorBudgetConsumed()).isZero();
    }

    @Test
    void readsInjectionAndRevertFromTheMarks() {
        fill(0, 9, 0);
        fill(10, 14, 10);
        fill(15, 40, 0);
        timeline.mark(900 * MS, Mark.Kind.NOTE, "baseline done");
        timeline.mark(1_000 * MS, Mark.Kind.FAULT_INJECTED, "pause db");
        timeline.mark(1_400 * MS, Mark.Kind.FAULT_REVERTED, "pause db");
        Recovery r = Recovery.of(timeline, RecoveryCriteria.DEFAULT);
        assertThat(r.timeToDetect()).contains(Duration.ZERO);
        assertThat(r.timeToRecover()).contains(ofMillis(100));
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> Recovery.of(timeline, RecoveryCriteria.DEFAULT))
                .isInstanceOf(IllegalStateException.class).hasMessage("the timeline has no FAULT_INJECTED mark; marks: []");
        assertThatThrownBy(() -> Recovery.between(timeline, 2 * MS, 1 * MS, RecoveryCriteria.DEFAULT))
                .hasMessage("revert (PT0.001S) must not be before inject (PT0.002S)");
        assertThatThrownBy(() -> RecoveryCriteria.DEFAULT.withErrorRatioThreshold(0))
                .hasMessage("errorRatioThreshold must be in (0, 1], was 0.0");
        assertThatThrownBy(() -> RecoveryCriteria.DEFAULT.withHealthyBuckets(0))
                .hasMessage("healthyBuckets must be in [1, 100000], was 0");
        assertThatThrownBy(() -> RecoveryCriteria.DEFAULT.withSlo(1.0))
                .hasMessage("slo must be in (0, 1), e.g. 0.999, was 1.0");
    }
}
