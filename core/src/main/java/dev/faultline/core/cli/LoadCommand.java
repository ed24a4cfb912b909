package dev.faultline.core.cli;

import dev.faultline.core.load.LoadConfig;
import dev.faultline.core.load.LoadGenerator;
import dev.faultline.core.load.LoadProfile;
import dev.faultline.core.load.LoadSummary;
import dev.faultline.core.load.RequestListener;
import dev.faultline.core.load.RequestSpec;
import dev.faultline.core.load.ResultsWriter;
import dev.faultline.core.probe.SenderLag;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code scripts/load.jsh} does, returning its exit code: 0 when every request succeeded, 1 when
 * any failed or was dropped, 2 for bad parameters. Parameters come from the environment:
 * FAULTLINE_URL (required: the URL to load), FAULTLINE_RATE (per second, default 50),
 * FAULTLINE_DURATION (default 10s), FAULTLINE_METHOD (default GET), FAULTLINE_BODY (none),
 * FAULTLINE_TIMEOUT (per request, default 10s), FAULTLINE_RESULTS (a results.jsonl to write, none),
 * FAULTLINE_WARMUP (the generator's warm-up inside this JVM before the load, 0 for none; by default 1 s up to
 * 5000 req/s and, above, until the JIT compiler has caught up, at most 10 s),
 * FAULTLINE_CONNECTIONS (at most this many connections to the target, default as many as requests in flight: 1024).
 */
public final class LoadCommand {

    /**
     * Half the machine: this JVM busy enough that a full in-flight cap is its doing. Measured with load.jsh on 2
     * cores: 62-84 % when saturated against nginx at 100k req/s (66.6k achieved warm, 21.6k cold), 13-20 % against
     * a target that answers in 2 s at 1000-5000 req/s, 46 % at 40k req/s against nginx (39.4k achieved, 1.5 %
     * dropped in its first second), which this leaves unsaid.
     */
    static final double BUSY_CPU_SHARE = 0.5;

    /**
     * Before the load, {@link LoadGenerator#warmUp} runs the generator against a server inside this JVM, so
     * that a fresh JVM (jshell's, for {@code scripts/load.jsh}) is not interpreting the first second of the
     * load. Up to 5000 req/s, 1 s at 5000/s, from cold jshell runs against nginx (BENCHMARKS.md section 5b):
     * p99 at 1000 and 5000 req/s went from 30 and 110-140 ms to 0.4-1.6 ms, for 1.1 s more of wall time.
     */
    static final Duration DEFAULT_WARM_UP = Duration.ofSeconds(1);
    static final double WARM_UP_RATE = 5000;

    /**
     * Above 5000 req/s a fixed warm-up did not do (2 s, or 10 000/s: the first 0.5-4 s of the load still
     * waited 50-200 ms behind the JIT compiler), so the default runs until the compiler has caught up
     * ({@link LoadGenerator#warmUpUntilCompiled}), at the load's rate but at most 10 000/s (faster, the sink
     * in this JVM and the generator starve each other and the warm-up runs a congested path instead of the
     * steady one), for at most 10 s.
     */
    static final double AUTO_WARM_UP_ABOVE = 5000;
    static final double AUTO_WARM_UP_MAX_RATE = 10_000;
    static final Duration AUTO_WARM_UP_MAX = Duration.ofSeconds(10);

    private LoadCommand() {}

    public static int run(Map<String, String> environment, PrintStream out) {
        LoadConfig config;
        String url;
        String method;
        Path results;
        WarmUpPlan warmUp;
        try {
            Settings settings = Settings.from(environment);
            url = settings.url().orElseThrow(() -> new IllegalArgumentException(
                    Settings.URL + " must be set to the http:// or https:// URL to load"));
            double rate = settings.rate().orElse(50.0);
            Duration duration = positive(Settings.DURATION, settings.duration().orElse(Duration.ofSeconds(10)));
            Duration timeout = positive(Settings.TIMEOUT, settings.timeout().orElse(Duration.ofSeconds(10)));
            warmUp = WarmUpPlan.of(settings.warmUp().orElse(null), rate);
            Duration w = warmUp.duration();
            if (!w.isZero() && (w.compareTo(LoadGenerator.MIN_WARM_UP) < 0 || w.compareTo(LoadGenerator.MAX_WARM_UP) > 0)) {
                throw new IllegalArgumentException(Settings.WARMUP + " must be 0 (none) or in [1ms, 60s], got '"
                        + environment.get(Settings.WARMUP) + "'");
            }
            method = settings.method().orElse("GET");
            results = settings.results().orElse(null);
            LoadConfig.Builder builder = LoadConfig.custom()
                    .baseUrl(url)
                    .profile(LoadProfile.constant(rate, duration))
                    .request(RequestSpec.of(method, url, settings.body().orElse(null)))
                    .callTimeout(timeout);
            settings.connections().ifPresent(builder::maxConnections);
            config = builder.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            out.println("Bad parameter: " + e.getMessage());
            return 2;
        }
        out.printf(Locale.ROOT, "Load: %s %s at %s (%d requests)%n", method, url, config.profile(),
                config.profile().totalRequests());
        List<RequestListener> listeners = new ArrayList<>();
        ResultsWriter writer;
        try {
            writer = results == null ? null : ResultsWriter.open(results);
        } catch (UncheckedIOException e) {
            out.println("Bad parameter: " + Settings.RESULTS + ": " + e.getMessage());
            return 2;
        }
        if (writer != null) listeners.add(writer);
        warmUp(warmUp, out);
        LoadSummary summary;
        Duration cpuBefore = ownCpu();
        long wallBefore = System.nanoTime();
        try {
            summary = LoadGenerator.run(config, listeners.toArray(RequestListener[]::new));
        } finally {
            if (writer != null) writer.close();
        }
        double cpuShare = (ownCpu().minus(cpuBefore).toNanos() / (double) (System.nanoTime() - wallBefore))
                / Runtime.getRuntime().availableProcessors();
        out.println();
        out.print(summary);
        generatorLimit(summary, config.maxInFlight(), cpuShare, Runtime.getRuntime().availableProcessors())
                .ifPresent(out::println);
        if (writer != null) out.println("Results: " + writer.file().toAbsolutePath());
        boolean allOk = summary.requests() > 0 && summary.ok() == summary.requests();
        out.printf(Locale.ROOT, "%s: %d of %d requests succeeded%n", allOk ? "OK" : "FAILED", summary.ok(), summary.requests());
        return allOk ? 0 : 1;
    }

    /**
     * The "Limit: the generator" line, when the generator and not the target was the limit: it got to requests
     * late often enough to shape the figures ({@link SenderLag#behind}), or its in-flight cap stayed full (1 % or
     * more dropped) while this JVM used {@link #BUSY_CPU_SHARE} of the machine's CPUs or more. A full cap alone
     * says only that answers were not coming back fast enough: a slow target does that with this JVM idle. With
     * this JVM that busy, the answers were waiting for it, or it was taking the CPU a target on the same machine
     * needed.
     */
    static Optional<String> generatorLimit(LoadSummary summary, int maxInFlight, double cpuShare, int cpus) {
        boolean late = SenderLag.behind(summary.late(), summary.requests());
        boolean busyAndFull = summary.dropped() > 0 && summary.dropped() * 100 >= summary.requests()
                && cpuShare >= BUSY_CPU_SHARE;
        if (!late && !busyAndFull) return Optional.empty();
        String dropped = summary.dropped() == 0 ? "none was dropped"
                : summary.dropped() + " were dropped, its " + maxInFlight + " in-flight slots full";
        return Optional.of(String.format(Locale.ROOT, "Limit: the generator, not the target: it got to %d of %d requests"
                + " more than %d ms late; %s; this JVM used %.0f %% of %d CPUs. The figures measure this machine as much"
                + " as the target", summary.late(), summary.requests(), SenderLag.LATE.toMillis(), dropped,
                cpuShare * 100, cpus));
    }

    /**
     * How the generator warms up before a load.
     *
     * @param duration      how long (fixed), or the limit when {@code untilCompiled}; zero for none
     * @param rate          requests per second against the sink
     * @param untilCompiled whether it stops early once the JIT compiler has caught up
     */
    record WarmUpPlan(Duration duration, double rate, boolean untilCompiled) {
        /** FAULTLINE_WARMUP as given (a duration, fixed at 5000/s, 0 for none), or null for the default, by the load's rate. */
        static WarmUpPlan of(Duration configured, double loadRate) {
            if (configured != null) return new WarmUpPlan(configured, WARM_UP_RATE, false);
            if (loadRate <= AUTO_WARM_UP_ABOVE) return new WarmUpPlan(DEFAULT_WARM_UP, WARM_UP_RATE, false);
            return new WarmUpPlan(AUTO_WARM_UP_MAX, Math.min(loadRate, AUTO_WARM_UP_MAX_RATE), true);
        }
    }

    /**
     * The warm-up {@code scripts/load.jsh} runs by default before a load at {@code rate}, for a JVM that runs
     * several loads in turn (the benchmarks' warm steps). A JVM warmed by lower rates still compiled, and
     * deoptimised, the generator's paths in the first half second of a higher one: in BENCHMARKS.md section
     * 5b, up to 4647 requests over 10 ms in that half second of a 20 000/s step (over 600 in six of eight),
     * against 0-35 after this.
     *
     * @param rate the load's requests per second, in (0, 1000000]
     * @param out  where the one line saying what it did goes
     */
    public static void defaultWarmUp(double rate, PrintStream out) {
        if (!(rate > 0 && rate <= 1_000_000)) {
            throw new IllegalArgumentException("rate must be in (0, 1000000] per second, was " + rate);
        }
        Objects.requireNonNull(out, "out");
        warmUp(WarmUpPlan.of(null, rate), out);
    }

    private static void warmUp(WarmUpPlan plan, PrintStream out) {
        if (plan.duration().isZero()) return;
        if (!plan.untilCompiled()) {
            long began = System.nanoTime();
            LoadSummary warm = LoadGenerator.warmUp(plan.duration(), plan.rate());
            out.printf(Locale.ROOT, "Warm-up: %d requests at %.0f/s to a server inside this JVM, none to the target (%.1f s)%n",
                    warm.requests(), plan.rate(), (System.nanoTime() - began) / 1e9);
            return;
        }
        LoadGenerator.WarmUp warm = LoadGenerator.warmUpUntilCompiled(plan.duration(), plan.rate());
        String ending = switch (warm.ending()) {
            case COMPILER_CAUGHT_UP -> "until the JIT compiler caught up";
            case LIMIT -> "stopped at its " + plan.duration().toSeconds() + " s limit with the JIT compiler still busy";
            case COMPILER_NOT_OBSERVABLE -> "once, not knowing whether the JIT compiler caught up (this JVM does not tell)";
        };
        out.printf(Locale.ROOT, "Warm-up: %d requests at %.0f/s to a server inside this JVM, none to the target, %s (%.1f s)%n",
                warm.requests(), plan.rate(), ending, warm.elapsed().toNanos() / 1e9);
    }

    /** CPU time this JVM used so far; zero where the OS does not say. */
    private static Duration ownCpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    private static Duration positive(String name, Duration d) {
        if (d.isZero()) throw new IllegalArgumentException(name + " must be > 0, was 0");
        return d;
    }
}
