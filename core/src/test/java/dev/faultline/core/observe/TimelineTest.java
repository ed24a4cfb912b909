package dev.faultline.core.observe;

import static java.time.Duration.ofMillis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.faultline.core.load.RequestListener;
import dev.faultline.core.load.RequestRecord;
import dev.faultline.core.probe.ErrorClass;

class TimelineTest {

    private static final long MS = 1_000_000;
    private final AtomicLong now = new AtomicLong(5_000 * MS); // a source whose origin is not 0
    private final RunClock clock = RunClock.of(now::get, Instant.parse("2026-01-01T00:00:00Z"));
    private final Timeline timeline = Timeline.create(clock);

    @Test
    void requestsLandInTheBucketOfTheirIntendedStart() {
        timeline.recordRequest(50 * MS, 10 * MS, ErrorClass.NONE);
        timeline.recordRequest(150 * MS, 20 * MS, ErrorClass.NONE);
        timeline.recordRequest(160 * MS, 40 * MS, ErrorClass.HTTP_502);
        timeline.recordRequest(199 * MS, -1, ErrorClass.OTHER);
        timeline.recordRequest(350 * MS, 5 * MS, ErrorClass.NONE);

        List<Bucket> buckets = timeline.buckets();
        assertThat(buckets).hasSize(4);
        assertThat(buckets.get(0).requests()).isEqualTo(1);
        assertThat(buckets.get(1).requests()).isEqualTo(3);
        assertThat(buckets.get(1).errors()).isEqualTo(Map.of(ErrorClass.HTTP_502, 1L, ErrorClass.OTHER, 1L));
        assertThat(buckets.get(1).errorRatio()).isCloseTo(2 / 3.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(buckets.get(1).p50().toMillis()).isEqualTo(20);
        assertThat(buckets.get(1).p99().toMillis()).isEqualTo(40);
        assertThat(buckets.get(2).hasRequests()).isFalse();
        assertThat(buckets.get(3).startNanos()).isEqualTo(300 * MS);
    }

    @Test
    void marksEventsAndSamplesUseTheRunClock() {
        now.addAndGet(1_200 * MS);
        Mark inject = timeline.faultInjected("kill web");
        timeline.containerEvent("web", "die");
        now.addAndGet(300 * MS);
        timeline.faultReverted("kill web");
        timeline.resourceSample("db", 55.5, 1024);

        assertThat(inject).isEqualTo(new Mark(1_200 * MS, Mark.Kind.FAULT_INJECTED, "kill web"));
        assertThat(timeline.marks()).extracting(Mark::atNanos).containsExactly(1_200 * MS, 1_500 * MS);
        assertThat(timeline.containerEvents()).containsExactly(new ContainerEvent(1_200 * MS, "web", "die"));
        assertThat(timeline.resourceSamples()).containsExactly(new ResourceSample(1_500 * MS, "db", 55.5, 1024));
        assertThat(clock.instantAt(1_500 * MS)).isEqualTo(Instant.parse("2026-01-01T00:00:01.500Z"));
    }

    @Test
    void loadRecordsFeedItThroughAListener() {
        RequestListener listener = RequestListener.into(timeline);
        listener.onRequest(new RequestRecord(10 * MS, 11 * MS, 3 * MS, 200, ErrorClass.NONE, "GET /", null, null, 0));
        listener.onRequest(new RequestRecord(20 * MS, RequestRecord.NOT_SENT, RequestRecord.NOT_SENT, 0, ErrorClass.OTHER,
                "GET /", null, null, 0));
        Bucket b = timeline.buckets().get(0);
        assertThat(b.requests()).isEqualTo(2);
        assertThat(b.errors()).isEqualTo(Map.of(ErrorClass.OTHER, 1L));
        assertThat(b.p99().toMillis()).isEqualTo(3);
    }

    @Test
    void isSafeToFeedFromManyThreads() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    timeline.recordRequest(i * MS, MS, i % 10 == 0 ? ErrorClass.RESET : ErrorClass.NONE);
                    if (i % 1000 == 0) timeline.note("n");
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread t : threads) t.join();
        List<Bucket> buckets = timeline.buckets();
        assertThat(buckets).hasSize(100);
        assertThat(buckets.stream().mapToLong(Bucket::requests).sum()).isEqualTo(40_000);
        assertThat(buckets.stream().mapToLong(Bucket::errorCount).sum()).isEqualTo(4_000);
        assertThat(timeline.marks()).hasSize(40);
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> Timeline.create(clock, ofMillis(0)))
                .hasMessage("bucketWidth must be in [1 ms, 10 min], was PT0S");
        assertThatThrownBy(() -> timeline.recordRequest(Long.MAX_VALUE / 2, 1, ErrorClass.NONE))
                .hasMessageContaining("was it stamped on another clock?");
    }
}
