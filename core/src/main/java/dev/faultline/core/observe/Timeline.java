package dev.faultline.core.observe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.HdrHistogram.Histogram;

import dev.faultline.core.probe.ErrorClass;

/**
 * What a run looked like over time, on one {@link RunClock}: requests in fixed buckets (100 ms by
 * default) with their errors by class and latency percentiles, plus fault marks, container events and
 * resource samples. Fed concurrently by load listeners, fault code and event watchers; read at any time.
 *
 * <p>A request is placed by its intended start, so a stall shows in the buckets where users arrived,
 * not where the answers finally came back.
 */
public final class Timeline {

    public static final Duration DEFAULT_BUCKET_WIDTH = Duration.ofMillis(100);
    /** A latency histogram per bucket is small at 2 significant digits (1% resolution is plenty for a chart). */
    private static final int DIGITS = 2;
    /** Guards against a stray timestamp allocating millions of buckets: 7 days of 100 ms slots. */
    private static final long MAX_BUCKETS = 7L * 24 * 3600 * 10;

    private static final class Slot {
        long requests;
        final long[] errors = new long[ErrorClass.values().length];
        Histogram latencies; // made on first latency
    }

    private final RunClock clock;
    private final long widthNanos;
    private final Object lock = new Object();
    private final List<Slot> slots = new ArrayList<>(); // guarded by lock
    private final List<Mark> marks = new ArrayList<>(); // guarded by lock
    private final List<ContainerEvent> events = new ArrayList<>(); // guarded by lock
    private final List<ResourceSample> samples = new ArrayList<>(); // guarded by lock

    private Timeline(RunClock clock, Duration bucketWidth) {
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(bucketWidth, "bucketWidth");
        if (bucketWidth.compareTo(Duration.ofMillis(1)) < 0 || bucketWidth.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("bucketWidth must be in [1 ms, 10 min], was " + bucketWidth);
        }
        this.widthNanos = bucketWidth.toNanos();
    }

    public static Timeline create(RunClock clock) {
        return new Timeline(clock, DEFAULT_BUCKET_WIDTH);
    }

    public static Timeline create(RunClock clock, Duration bucketWidth) {
        return new Timeline(clock, bucketWidth);
    }

    public RunClock clock() {
        return clock;
    }

    public Duration bucketWidth() {
        return Duration.ofNanos(widthNanos);
    }

    /**
     * Counts one request.
     *
     * @param atNanos      its intended start on the run clock
     * @param latencyNanos its latency, or a negative value when it has none (dropped)
     * @param error        {@link ErrorClass#NONE} when it succeeded
     */
    public void recordRequest(long atNanos, long latencyNanos, ErrorClass error) {
        Objects.requireNonNull(error, "error");
        synchronized (lock) {
            Slot slot = slot(atNanos);
            slot.requests++;
            if (error != ErrorClass.NONE) slot.errors[error.ordinal()]++;
            if (latencyNanos >= 0) {
                if (slot.latencies == null) slot.latencies = new Histogram(DIGITS);
                slot.latencies.recordValue(latencyNanos);
            }
        }
    }

    public Mark faultInjected(String label) {
        return mark(clock.nanos(), Mark.Kind.FAULT_INJECTED, label);
    }

    public Mark faultReverted(String label) {
        return mark(clock.nanos(), Mark.Kind.FAULT_REVERTED, label);
    }

    public Mark note(String label) {
        return mark(clock.nanos(), Mark.Kind.NOTE, label);
    }

    public Mark mark(long atNanos, Mark.Kind kind, String label) {
        Mark mark = new Mark(atNanos, Objects.requireNonNull(kind, "kind"), Objects.requireNonNull(label, "label"));
        synchronized (lock) {
            marks.add(mark);
        }
        return mark;
    }

    public void containerEvent(String service, String action) {
        containerEvent(clock.nanos(), service, action);
    }

    public void containerEvent(long atNanos, String service, String action) {
        ContainerEvent event = new ContainerEvent(atNanos, Objects.requireNonNull(service, "service"),
                Objects.requireNonNull(action, "action"));
        synchronized (lock) {
            events.add(event);
        }
    }

    public void resourceSample(String service, double cpuPercent, long memoryBytes) {
        resourceSample(clock.nanos(), service, cpuPercent, memoryBytes);
    }

    public void resourceSample(long atNanos, String service, double cpuPercent, long memoryBytes) {
        ResourceSample sample = new ResourceSample(atNanos, Objects.requireNonNull(service, "service"), cpuPercent, memoryBytes);
        synchronized (lock) {
            samples.add(sample);
        }
    }

    /** Every bucket from the origin to the last one that saw a request, empty ones included. */
    public List<Bucket> buckets() {
        synchronized (lock) {
            List<Bucket> out = new ArrayList<>(slots.size());
            for (int i = 0; i < slots.size(); i++) out.add(bucket(i, slots.get(i)));
            return out;
        }
    }

    /** The index of the bucket holding run time {@code atNanos}. */
    public int bucketIndex(long atNanos) {
        return (int) Math.max(0, Math.floorDiv(atNanos, widthNanos));
    }

    public long bucketStart(int index) {
        return index * widthNanos;
    }

    /** Marks in the order they were made. */
    public List<Mark> marks() {
        synchronized (lock) {
            return List.copyOf(marks);
        }
    }

    public List<ContainerEvent> containerEvents() {
        synchronized (lock) {
            return List.copyOf(events);
        }
    }

    public List<ResourceSample> resourceSamples() {
        synchronized (lock) {
            return List.copyOf(samples);
        }
    }

    private Slot slot(long atNanos) {
        long index = Math.max(0, Math.floorDiv(atNanos, widthNanos));
        if (index >= MAX_BUCKETS) {
            throw new IllegalArgumentException("time " + Duration.ofNanos(atNanos) + " is beyond the timeline's "
                    + MAX_BUCKETS + " buckets; was it stamped on another clock?");
        }
        while (slots.size() <= index) slots.add(new Slot());
        return slots.get((int) index);
    }

    private Bucket bucket(int index, Slot slot) {
        Map<ErrorClass, Long> errors = new EnumMap<>(ErrorClass.class);
        for (ErrorClass c : ErrorClass.values()) {
            if (slot.errors[c.ordinal()] > 0) errors.put(c, slot.errors[c.ordinal()]);
        }
        Histogram h = slot.latencies;
        Duration p50 = h == null ? Duration.ZERO : Duration.ofNanos(h.getValueAtPercentile(50));
        Duration p99 = h == null ? Duration.ZERO : Duration.ofNanos(h.getValueAtPercentile(99));
        return new Bucket(index, bucketStart(index), slot.requests, errors, p50, p99);
    }
}
