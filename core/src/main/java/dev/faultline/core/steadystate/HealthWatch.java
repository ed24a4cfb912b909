package dev.faultline.core.steadystate;

import dev.faultline.core.time.Durations;
import dev.faultline.core.probe.ErrorClass;
import dev.faultline.core.probe.Probe;
import dev.faultline.core.probe.ProbeResult;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs a probe at a fixed rate for a while and sums up what it saw: the seed's health-check,
 * as a library. Immutable; each option returns a new watch.
 *
 * <pre>{@code
 * HealthSummary s = HealthWatch.of(HttpProbe.get("http://localhost:8081/health/"))
 *         .every(Duration.ofSeconds(1)).during(Duration.ofSeconds(30)).printTo(System.out).run();
 * }</pre>
 *
 * <p>Check {@code k} is due at {@code start + k * interval}, computed, not slept after the
 * previous call, so slow checks do not stretch the schedule. A check that runs past later slots
 * skips them (they are counted) rather than firing a burst to catch up.
 */
public final class HealthWatch {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);

    private final Probe probe;
    private final Duration interval;
    private final Duration duration;
    private final Consumer<ProbeResult> listener;
    private final Ticker ticker;

    private HealthWatch(Probe probe, Duration interval, Duration duration, Consumer<ProbeResult> listener, Ticker ticker) {
        this.probe = probe;
        this.interval = interval;
        this.duration = duration;
        this.listener = listener;
        this.ticker = ticker;
    }

    /** Watches {@code probe} every second for 30 seconds until told otherwise. */
    public static HealthWatch of(Probe probe) {
        return new HealthWatch(Objects.requireNonNull(probe, "probe"), Duration.ofSeconds(1), Duration.ofSeconds(30), r -> {}, Ticker.system());
    }

    /** One check, now: the quick answer to "is it up?". */
    public static ProbeResult quickCheck(Probe probe) {
        return probe.check();
    }

    public HealthWatch every(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.toMillis() < 1 || interval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("interval must be in [1 ms, 1 h], got " + interval);
        }
        return new HealthWatch(probe, interval, duration, listener, ticker);
    }

    public HealthWatch during(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("duration must be in (0, 7 days], got " + duration);
        }
        return new HealthWatch(probe, interval, duration, listener, ticker);
    }

    /** Called with each result on the watching thread; keep it quick. */
    public HealthWatch onCheck(Consumer<ProbeResult> listener) {
        return new HealthWatch(probe, interval, duration, Objects.requireNonNull(listener, "listener"), ticker);
    }

    /** Prints one line per check to {@code out}. */
    public HealthWatch printTo(PrintStream out) {
        Objects.requireNonNull(out, "out");
        return onCheck(r -> out.println(line(r)));
    }

    public HealthWatch ticker(Ticker ticker) {
        return new HealthWatch(probe, interval, duration, listener, Objects.requireNonNull(ticker, "ticker"));
    }

    /** How many checks the schedule holds: one at each multiple of the interval below the duration. */
    public int plannedChecks() {
        long n = (duration.toNanos() + interval.toNanos() - 1) / interval.toNanos();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, n));
    }

    /** A line for one check: time, ok/FAIL, latency, what was seen, and the error class of a failure. */
    public static String line(ProbeResult r) {
        return String.format(Locale.ROOT, "%s  %-4s  %9s  %s%s",
                TIME.format(LocalTime.ofInstant(r.time(), ZoneId.systemDefault())),
                r.ok() ? "ok" : "FAIL",
                Durations.latency(r.latency()),
                r.detail(),
                r.ok() ? "" : "  [" + r.errorClass().label() + "]");
    }

    /**
     * Runs the schedule on the calling thread.
     *
     * @throws IllegalStateException when interrupted; the summary so far is in its message
     */
    public HealthSummary run() {
        int planned = plannedChecks();
        long step = interval.toNanos();
        long start = ticker.nanoTime();
        List<ProbeResult> results = new ArrayList<>(Math.min(planned, 100_000));
        List<Long> startedAt = new ArrayList<>();
        int skipped = 0;
        long k = 0;
        try {
            while (k < planned) {
                long due = start + k * step;
                ticker.sleepUntil(due);
                startedAt.add(ticker.nanoTime());
                ProbeResult result = probe.check();
                results.add(result);
                listener.accept(result);
                long next = k + 1;
                long now = ticker.nanoTime();
                if (now > start + next * step) {
                    // Ran past later slots: resume at the first slot still ahead.
                    long resume = Math.min(planned, (now - start + step - 1) / step);
                    skipped += (int) (resume - next);
                    next = resume;
                }
                k = next;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("health watch interrupted after " + results.size() + " checks:\n"
                    + summarise(results, startedAt, skipped, ticker.nanoTime() - start, ticker.nanoTime()).render(), e);
        }
        long end = Math.max(ticker.nanoTime(), start + duration.toNanos());
        return summarise(results, startedAt, skipped, end - start, end);
    }

    private HealthSummary summarise(List<ProbeResult> results, List<Long> startedAt, int skipped, long elapsedNanos, long endNanos) {
        int ok = 0;
        EnumMap<ErrorClass, Integer> errors = new EnumMap<>(ErrorClass.class);
        Outage longest = null;
        int runStart = -1;
        for (int i = 0; i <= results.size(); i++) {
            boolean failed = i < results.size() && !results.get(i).ok();
            if (i < results.size()) {
                if (failed) errors.merge(results.get(i).errorClass(), 1, Integer::sum);
                else ok++;
            }
            if (failed && runStart < 0) {
                runStart = i;
            } else if (!failed && runStart >= 0) {
                boolean recovered = i < results.size();
                long endOfRun = recovered ? startedAt.get(i) : endNanos;
                Outage outage = new Outage(results.get(runStart).time(), Duration.ofNanos(endOfRun - startedAt.get(runStart)),
                        i - runStart, recovered);
                if (longest == null || outage.duration().compareTo(longest.duration()) > 0) longest = outage;
                runStart = -1;
            }
        }
        List<Duration> latencies = results.stream().map(ProbeResult::latency).sorted().toList();
        return new HealthSummary(probe.name(), interval, Duration.ofNanos(elapsedNanos), results.size(), ok, skipped,
                percentile(latencies, 50), percentile(latencies, 99), Optional.ofNullable(longest), errors);
    }

    /** Nearest-rank percentile; zero for no data. */
    static Duration percentile(List<Duration> sorted, double p) {
        if (sorted.isEmpty()) return Duration.ZERO;
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
