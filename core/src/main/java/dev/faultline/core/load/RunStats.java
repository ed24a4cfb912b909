package dev.faultline.core.load;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import dev.faultline.core.probe.ErrorClass;
import dev.faultline.core.probe.SenderLag;

/**
 * Counters and latency histograms fed from many request threads at once. Recording is wait-free
 * (HdrHistogram's {@link Recorder}); a summary swaps out what was recorded since the last one and
 * merges it into the running total, so summaries can be taken while load runs.
 */
final class RunStats {

    private static final int DIGITS = 3;

    private final Recorder latencyRecorder = new Recorder(DIGITS);
    private final Recorder serviceRecorder = new Recorder(DIGITS);
    private final Histogram latencyTotal = new Histogram(DIGITS); // guarded by this
    private final Histogram serviceTotal = new Histogram(DIGITS); // guarded by this
    private final LongAdder requests = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder ok = new LongAdder();
    private final LongAdder late = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final Map<ErrorClass, LongAdder> errors = new EnumMap<>(ErrorClass.class);
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final LongAccumulator firstIntended = new LongAccumulator(Math::min, Long.MAX_VALUE);
    private final LongAccumulator lastIntended = new LongAccumulator(Math::max, Long.MIN_VALUE);
    private final LongAccumulator lastEnd = new LongAccumulator(Math::max, Long.MIN_VALUE);
    private final LongAccumulator firstActual = new LongAccumulator(Math::min, Long.MAX_VALUE);
    private final LongAccumulator lastActual = new LongAccumulator(Math::max, Long.MIN_VALUE);

    RunStats() {
        for (ErrorClass c : ErrorClass.values()) errors.put(c, new LongAdder());
    }

    void add(RequestRecord r) {
        requests.increment();
        if (SenderLag.late(r.senderLagNanos())) late.increment();
        firstIntended.accumulate(r.intendedStart());
        lastIntended.accumulate(r.intendedStart());
        if (r.dropped()) {
            dropped.increment();
            return;
        }
        sent.increment();
        firstActual.accumulate(r.actualStart());
        lastActual.accumulate(r.actualStart());
        lastEnd.accumulate(r.intendedStart() + r.latencyNanos());
        latencyRecorder.recordValue(Math.max(0, r.latencyNanos()));
        serviceRecorder.recordValue(Math.max(0, r.serviceNanos()));
        if (r.ok()) {
            ok.increment();
        } else {
            errors.get(r.errorClass()).increment();
        }
        statuses.computeIfAbsent(r.status(), s -> new LongAdder()).increment();
    }

    synchronized LoadSummary summary() {
        latencyTotal.add(latencyRecorder.getIntervalHistogram());
        serviceTotal.add(serviceRecorder.getIntervalHistogram());
        long n = requests.sum();
        long first = firstIntended.get(), last = lastIntended.get(), end = lastEnd.get();
        Duration duration = n == 0 ? Duration.ZERO : Duration.ofNanos(last - first);
        Duration wait = end == Long.MIN_VALUE || end < last ? Duration.ZERO : Duration.ofNanos(end - last);
        long sentCount = sent.sum();
        // from the actual sends: the intended ones would give back the configured rate whatever happened
        long sendSpan = sentCount <= 1 ? 0 : lastActual.get() - firstActual.get();
        double rate = sendSpan <= 0 ? sentCount : (sentCount - 1) / (sendSpan / 1e9);
        Map<ErrorClass, Long> errorCounts = new EnumMap<>(ErrorClass.class);
        errors.forEach((c, count) -> {
            if (count.sum() > 0) errorCounts.put(c, count.sum());
        });
        Map<Integer, Long> statusCounts = new TreeMap<>();
        statuses.forEach((s, count) -> statusCounts.put(s, count.sum()));
        return new LoadSummary(n, sentCount, ok.sum(), late.sum(), dropped.sum(), duration, wait, rate,
                latencies(latencyTotal), latencies(serviceTotal), errorCounts, statusCounts);
    }

    private static LoadSummary.Latencies latencies(Histogram h) {
        if (h.getTotalCount() == 0) return LoadSummary.Latencies.NONE;
        return new LoadSummary.Latencies(Duration.ofNanos(h.getMinValue()), Duration.ofNanos((long) h.getMean()),
                Duration.ofNanos(h.getValueAtPercentile(50)), Duration.ofNanos(h.getValueAtPercentile(90)),
                Duration.ofNanos(h.getValueAtPercentile(95)), Duration.ofNanos(h.getValueAtPercentile(99)),
                Duration.ofNanos(h.getMaxValue()));
    }
}
