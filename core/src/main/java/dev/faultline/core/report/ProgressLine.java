package dev.faultline.core.report;

import dev.faultline.core.time.Durations;
import dev.faultline.core.experiment.Experiment;
import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.experiment.Observation;
import dev.faultline.core.experiment.RunListener;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A live line while a run goes: phase, elapsed time, calls per second and errors in the last
 * second, totals. On a terminal the line is rewritten in place (carriage return); elsewhere (CI
 * logs, jshell, whose console is usually not the terminal) one plain line per second.
 * The caller decides ({@code Settings.terminal()}: FAULTLINE_PLAIN=1 forces plain lines, TERM=dumb or unset means
 * plain), and a JVM without a console is always plain.
 */
public final class ProgressLine implements RunListener {

    private final PrintStream out;
    private final boolean inPlace;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong totalCalls = new AtomicLong();
    private final AtomicLong totalErrors = new AtomicLong();
    private volatile String phase = "starting";
    private volatile String name = "";
    private volatile long startNanos;
    private ScheduledExecutorService ticker; // guarded by this

    public ProgressLine(PrintStream out, boolean inPlace) {
        this.out = Objects.requireNonNull(out, "out");
        this.inPlace = inPlace;
    }

    /**
     * To standard output; redrawn in place only when {@code terminal} (the caller's settings allow
     * it, e.g. {@code Settings.terminal()}) and the JVM has a console.
     */
    public static ProgressLine toStdout(boolean terminal) {
        return new ProgressLine(System.out, terminal && System.console() != null);
    }

    @Override
    public synchronized void phaseStarted(Experiment experiment, String runId, String phase) {
        this.phase = phase;
        if (ticker == null) {
            name = experiment.name();
            startNanos = System.nanoTime();
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "faultline-progress-" + runId);
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        }
    }

    @Override
    public void observed(Observation o) {
        if (o.source() == Observation.Source.READINESS) {
            return;
        }
        calls.incrementAndGet();
        totalCalls.incrementAndGet();
        if (!o.ok()) {
            errors.incrementAndGet();
            totalErrors.incrementAndGet();
        }
    }

    @Override
    public synchronized void finished(Experiment experiment, ExperimentResult result) {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
        if (inPlace) {
            out.print("\r\033[K");
        }
        out.println(String.format(Locale.ROOT, "%s: %s after %s, %d calls, %d failed", result.name(),
                result.outcome(), Durations.words(result.duration()), totalCalls.get(), totalErrors.get()));
        out.flush();
    }

    /** The current line, without any control character. */
    String line() {
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        return String.format(Locale.ROOT, "%s  %-18s %6.1f s  %4d/s  %3d errors/s  (total %d calls, %d failed)", name,
                phase, elapsed, calls.getAndSet(0), errors.getAndSet(0), totalCalls.get(), totalErrors.get());
    }

    private void tick() {
        String line = line();
        if (inPlace) {
            out.print("\r\033[K" + line);
        } else {
            out.println(line);
        }
        out.flush();
    }
}
