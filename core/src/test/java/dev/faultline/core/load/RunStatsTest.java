package dev.faultline.core.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import dev.faultline.core.probe.ErrorClass;

class RunStatsTest {

    @Test
    void recordsFromManyThreadsMergeIntoOneDistribution() throws Exception {
        RunStats stats = new RunStats();
        int threads = 8, each = 10_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread w = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    long latency = (i + 1) * 1_000L; // 1 µs .. 10 ms, evenly
                    ErrorClass error = i % 100 == 0 ? ErrorClass.HTTP_503 : ErrorClass.NONE;
                    // thread 0's sends: its scheduler 60 ms late; thread 1's: as late, waiting for a slot (not lag)
                    long lag = thread == 0 ? 60_000_000 : 0, slotWait = thread == 1 ? 60_000_000 : 0;
                    stats.add(new RequestRecord(i * 100_000L, i * 100_000L + lag + slotWait, latency,
                            error == ErrorClass.NONE ? 200 : 503, error, "GET /", null, null, lag));
                }
            });
            workers.add(w);
            w.start();
        }
        go.countDown();
        // a summary taken while recording goes on must not lose what comes after it
        LoadSummary during = stats.summary();
        for (Thread w : workers) w.join();
        LoadSummary summary = stats.summary();

        assertThat(during.sent()).isLessThanOrEqualTo(threads * each);
        assertThat(summary.sent()).isEqualTo(threads * each);
        assertThat(summary.ok()).isEqualTo(threads * each * 99 / 100);
        assertThat(summary.errors()).containsEntry(ErrorClass.HTTP_503, (long) threads * each / 100);
        assertThat(summary.statusCodes()).containsEntry(503, (long) threads * each / 100);
        assertThat(summary.late()).isEqualTo(each);
        assertThat(summary.latency().p50().toNanos()).isBetween(4_990_000L, 5_010_000L);
        assertThat(summary.latency().p99().toNanos()).isBetween(9_890_000L, 9_910_000L);
        assertThat(summary.latency().max().toNanos()).isBetween(9_990_000L, 10_010_000L);
        assertThat(summary.latency().min().toNanos()).isBetween(990L, 1_010L);
    }

    @Test
    void lateMeansTheSchedulersOwnLagPastFiftyMillisecondsForSentAndDroppedRequestsAlike() {
        RunStats stats = new RunStats();
        long ms = 1_000_000;
        // on time, but 200 ms waiting for an in-flight slot: the target's slowness, not the generator's
        stats.add(new RequestRecord(0, 200 * ms, 210 * ms, 200, ErrorClass.NONE, "GET /", null, null, 0));
        // exactly the limit: not late
        stats.add(new RequestRecord(0, 50 * ms, 60 * ms, 200, ErrorClass.NONE, "GET /", null, null, 50 * ms));
        // the scheduler 51 ms late
        stats.add(new RequestRecord(0, 51 * ms, 60 * ms, 200, ErrorClass.NONE, "GET /", null, null, 51 * ms));
        // dropped, and the scheduler had got to it 80 ms late
        stats.add(new RequestRecord(0, RequestRecord.NOT_SENT, RequestRecord.NOT_SENT, 0, ErrorClass.OTHER, "GET /",
                null, null, 80 * ms));

        LoadSummary summary = stats.summary();
        assertThat(summary.requests()).isEqualTo(4);
        assertThat(summary.late()).isEqualTo(2);
    }

    @Test
    void anEmptyRunHasZeroFigures() {
        LoadSummary summary = new RunStats().summary();
        assertThat(summary.requests()).isZero();
        assertThat(summary.successRatio()).isEqualTo(1.0);
        assertThat(summary.latency()).isEqualTo(LoadSummary.Latencies.NONE);
        assertThat(summary.toString()).contains("Requests      [total, rate, throughput]");
    }
}
