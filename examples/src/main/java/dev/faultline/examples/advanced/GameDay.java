package dev.faultline.examples.advanced;

import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.probe.HttpProbe;
import dev.faultline.core.probe.ProbeResult;
import dev.faultline.core.report.Reports;
import dev.faultline.dsl.ExitCode;
import dev.faultline.core.restore.StackRestore;
import dev.faultline.core.time.Durations;
import dev.faultline.core.time.Waits;
import dev.faultline.dsl.Project;
import dev.faultline.examples.SeedExperiments;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A game day: the seed experiments and the advanced scenarios in order, each against a steady
 * stack. Between experiments the stack is restored to the state captured at the start
 * ({@link StackRestore}: what an experiment left exited, paused or unhealthy is brought back, and
 * the output says what was done), so each experiment gets its own verdict; {@link #withoutRestore()}
 * skips that. Before each experiment the project's health URL must answer 200 within the steady
 * timeout; when it does not (or the restore fails), the stack is broken, and the rest are not run:
 * they are listed as REFUSED with the reason. The summary's exit code is the
 * worst outcome (see {@link #severity}). With {@link #resultsIn}, each game day gets a folder
 * {@code <root>/suite-<yyyyMMdd-HHmmss>/} holding every experiment's report folder, the suite
 * index (index.md, index.html, junit.xml, written by {@link Reports#writeIndex}) with the trend
 * across game days appended, and suite.tsv, which {@link Trend} reads back.
 *
 * <pre>{@code
 * GameDay.demo(Chaos.project("demo")).run(System.out).exitCode();
 * }</pre>
 */
public final class GameDay {

    /**
     * One experiment of the suite: an id to select it by ("01", "adv-cascade") and how to run it
     * against the project it is given (the suite's, reporting into the suite's folder).
     */
    public record Step(String id, String name, Function<Project, ExperimentResult> experiment) {
        public Step {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(experiment, "experiment");
        }
    }

    /**
     * What one step gave: its exit code as a script would exit (0 held, 1 failed, 2 could not run,
     * 3 refused, 4 aborted, 5 inconclusive), the reason, and the recovery time when one was measured.
     */
    public record StepResult(String id, String name, int exitCode, String outcome, String reason,
            Optional<Duration> timeToRecover, Duration duration) {
        public StepResult {
            reason = reason.replaceAll("[\\t\\r\\n]+", " ");
        }
    }

    /** The suite's results, in the order run. */
    public record Summary(String runId, Instant startedAt, List<StepResult> steps, Optional<Path> folder) {
        public Summary {
            steps = List.copyOf(steps);
        }

        /** The worst step's exit code; 0 when every step held. */
        public int exitCode() {
            return steps.stream().map(StepResult::exitCode).max((a, b) -> Integer.compare(severity(a), severity(b)))
                    .orElse(ExitCode.HELD);
        }

        /** One line per step, plain text (no terminal control codes). */
        public String table() {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "%-14s %-32s %-9s %-10s %-9s %s%n", "id", "experiment", "outcome",
                    "recovered", "took", "reason"));
            for (StepResult s : steps) {
                out.append(String.format(Locale.ROOT, "%-14s %-32s %-9s %-10s %-9s %s%n", s.id(), s.name(), s.outcome(),
                        s.timeToRecover().map(Durations::words).orElse("-"), Durations.words(s.duration()), s.reason()));
            }
            long inconclusive = steps.stream().filter(s -> s.exitCode() == ExitCode.INCONCLUSIVE).count();
            out.append("game day ").append(runId).append(": exit ").append(exitCode()).append(" (")
                    .append(describe(exitCode())).append(")").append(inconclusive == 0 ? "" : "; " + inconclusive
                            + " inconclusive (a fault reached nothing)").append("\n");
            return out.toString();
        }
    }

    // the same folder names as scripts/run-all.jsh's suites
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    static final String SUMMARY_FILE = "suite.tsv";
    /** How often the health URL is asked while waiting for the stack between experiments. */
    private static final Duration POLL = Duration.ofMillis(500);

    private final Project project;
    private final String healthUrl;
    private final List<Step> steps;
    private final Duration steadyTimeout;
    private final Optional<Path> resultsRoot;
    private final boolean restore;

    private GameDay(Project project, List<Step> steps, Duration steadyTimeout, Optional<Path> resultsRoot, boolean restore) {
        this.project = project;
        this.restore = restore;
        this.healthUrl = project.healthUrl();
        this.steps = List.copyOf(steps);
        this.steadyTimeout = steadyTimeout;
        this.resultsRoot = resultsRoot;
    }

    /**
     * These steps against {@code project}, whose health URL must answer 200 before each; no suite
     * folder (each run reports as the project says) until {@link #resultsIn}.
     */
    public static GameDay of(Project project, List<Step> steps) {
        Objects.requireNonNull(project, "project");
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("steps must name at least one experiment, got none");
        }
        return new GameDay(project, steps, Duration.ofSeconds(60), Optional.empty(), true);
    }

    /**
     * The demo suite: the seed's 01-04 with their scripts' defaults, then the three advanced
     * scenarios with theirs ({@code loadRate} requests a second for load-under-chaos).
     */
    public static GameDay demo(Project project, double loadRate) {
        List<Step> steps = List.of(
                new Step("01", "gunicorn-kill", p -> SeedExperiments.demo(p).gunicornKill(Duration.ofSeconds(30))),
                new Step("02", "db-restart", p -> SeedExperiments.demo(p).dbRestart(Duration.ofSeconds(30))),
                new Step("03", "cpu-stress", p -> SeedExperiments.demo(p).cpuStress(2, Duration.ofSeconds(20),
                        Duration.ofSeconds(2), 0.05)),
                // the script's defaults: 30 s of delay under 1.3 page views a second, p99 6 s, 10% errors
                new Step("04", "network-delay", p -> SeedExperiments.demo(p).networkDelay(Duration.ofMillis(500), Duration.ofMillis(50),
                        Duration.ofSeconds(30), 1.3, Duration.ofSeconds(6), 0.10)),
                new Step("adv-multi", "db-restart-while-cpu-starved",
                        p -> AdvancedScenarios.demo(p).dbRestartWhileCpuStarved(2, Duration.ofSeconds(15), 0.5).run()),
                new Step("adv-load", "load-under-chaos",
                        p -> AdvancedScenarios.demo(p).loadUnderChaos(loadRate, Duration.ofSeconds(20), Duration.ofMillis(50), 0.05,
                                Duration.ofSeconds(10)).run()),
                new Step("adv-cascade", "connection-exhaustion-cascade",
                        p -> AdvancedScenarios.demo(p).connectionExhaustionCascade(Duration.ofSeconds(10), Duration.ofSeconds(15)).run()));
        return of(project, steps);
    }

    /** Only the steps whose id starts with one of {@code prefixes} (comma-separated, e.g. "01,adv-"); blank keeps all. */
    public GameDay only(String prefixes) {
        if (prefixes == null || prefixes.isBlank()) {
            return this;
        }
        List<String> wanted = Arrays.stream(prefixes.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        List<Step> kept = steps.stream().filter(s -> wanted.stream().anyMatch(w -> s.id().startsWith(w))).toList();
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("only must match at least one of " + steps.stream().map(Step::id).toList()
                    + ", got '" + prefixes + "'");
        }
        return new GameDay(project, kept, steadyTimeout, resultsRoot, restore);
    }

    /** How long to wait for the health URL to answer 200 before each experiment (default 60 s). */
    public GameDay steadyWithin(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("timeout must be in (0, PT1H], got " + timeout);
        }
        return new GameDay(project, steps, timeout, resultsRoot, restore);
    }

    /** Each game day writes its folder {@code root/suite-<yyyyMMdd-HHmmss>/} (e.g. root reports/results). */
    public GameDay resultsIn(Path root) {
        return new GameDay(project, steps, steadyTimeout, Optional.of(Objects.requireNonNull(root, "root")), restore);
    }

    /** Runs each experiment on the stack as the one before left it: no restore in between. */
    public GameDay withoutRestore() {
        return new GameDay(project, steps, steadyTimeout, resultsRoot, false);
    }

    public List<Step> steps() {
        return steps;
    }

    /** Runs every step in order, printing each one's table and the summary to {@code out}. */
    public Summary run(PrintStream out) {
        Instant started = Instant.now();
        String runId = "suite-" + RUN_ID.format(started);
        Optional<Path> suite = resultsRoot.map(root -> root.resolve(runId));
        Project reporting = suite.map(project::reportTo).orElse(project);
        List<StepResult> results = new ArrayList<>();
        Optional<String> broken = Optional.empty();
        String previous = "the start of the game day";
        Optional<StackRestore> restorer = captureForRestore(out);
        boolean first = true;
        for (Step step : steps) {
            out.println("\n=== " + step.id() + " " + step.name() + " ===");
            if (broken.isEmpty() && !first && restorer.isPresent()) {
                try {
                    out.println("game day: restoring the stack after " + previous + " (skip with FAULTLINE_RESTORE=off)");
                    restorer.get().restore().lines().forEach(l -> out.println("game day: " + l));
                } catch (RuntimeException e) {
                    broken = Optional.of("the stack could not be restored after " + previous + ": " + e.getMessage());
                    out.println("game day: " + broken.get() + "; not running the rest.");
                }
            }
            first = false;
            if (broken.isEmpty()) {
                Optional<String> unsteady = waitForHealth(previous);
                if (unsteady.isPresent()) {
                    broken = unsteady;
                    out.println("game day: " + unsteady.get() + "; not running the rest. Bring the stack up again"
                            + " (e.g. demo/up.sh) and run what is left with FAULTLINE_ONLY.");
                }
            }
            if (broken.isPresent()) {
                results.add(new StepResult(step.id(), step.name(), ExitCode.REFUSED, "REFUSED", "not run: " + broken.get(),
                        Optional.empty(), Duration.ZERO));
                continue;
            }
            Instant stepStart = Instant.now();
            StepResult result;
            try {
                ExperimentResult r = step.experiment().apply(reporting);
                out.println(r.table());
                result = new StepResult(step.id(), step.name(), ExitCode.of(r), r.outcome().name(), r.reason(),
                        r.recovery().timeToRecover(), r.duration());
            } catch (RuntimeException e) {
                out.println("game day: " + step.id() + " could not run: " + e.getMessage());
                result = new StepResult(step.id(), step.name(), ExitCode.UNUSABLE, "ERROR", "could not run: " + e.getMessage(),
                        Optional.empty(), Duration.between(stepStart, Instant.now()));
            }
            results.add(result);
            previous = step.id() + " " + step.name();
        }
        suite.ifPresent(folder -> write(folder, runId, started, results));
        Summary summary = new Summary(runId, started, results, suite);
        out.println("\n=== game day summary ===");
        out.print(summary.table());
        suite.ifPresent(folder -> {
            String trend = Trend.read(folder.getParent()).table();
            out.println();
            out.print(trend);
            writeIndex(folder, trend).ifPresentOrElse(index -> out.println("reports: " + index),
                    () -> out.println("results: " + folder.resolve(SUMMARY_FILE)));
        });
        return summary;
    }

    /** The state to restore between experiments, captured now; empty when restoring is off or impossible (said so). */
    private Optional<StackRestore> captureForRestore(PrintStream out) {
        if (!restore || steps.size() < 2) {
            if (!restore) {
                out.println("game day: no restore between experiments (each runs on the stack the one before left)");
            }
            return Optional.empty();
        }
        try {
            StackRestore r = project.captureState();
            out.println("game day: the stack is restored between experiments to its state now: " + r.captured());
            return Optional.of(r);
        } catch (RuntimeException e) {
            out.println("game day: cannot restore between experiments (" + e.getMessage() + "); each runs on the stack"
                    + " the one before left");
            return Optional.empty();
        }
    }

    /** Empty when the health URL answered 200 in time, else why the stack counts as broken. */
    private Optional<String> waitForHealth(String after) {
        HttpProbe health = HttpProbe.get(healthUrl).status(200).timeout(Duration.ofSeconds(3));
        long deadline = System.nanoTime() + steadyTimeout.toNanos();
        String last = "no answer yet";
        while (true) {
            ProbeResult r = health.check();
            if (r.ok()) {
                return Optional.empty();
            }
            last = r.detail();
            if (System.nanoTime() > deadline) {
                return Optional.of("the stack is broken: " + healthUrl + " did not answer 200 within "
                        + Durations.words(steadyTimeout) + " after " + after + " (last: " + last + ")");
            }
            try {
                Waits.until(System.nanoTime() + POLL.toNanos(), () -> false); // polling a remote stack: nothing to wait on but time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted while waiting for " + healthUrl);
            }
        }
    }

    /**
     * The suite index over the experiments' report folders in {@code folder}, with the trend
     * appended; empty when no experiment wrote a report (reports off, or none ran).
     */
    private static Optional<Path> writeIndex(Path folder, String trend) {
        List<Path> runs;
        try (Stream<Path> children = Files.list(folder)) {
            runs = children.filter(p -> Files.isRegularFile(p.resolve("journal.json"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("could not list the report folders in " + folder, e);
        }
        if (runs.isEmpty()) {
            return Optional.empty();
        }
        Reports.writeIndex(folder, runs);
        try {
            Path md = folder.resolve("index.md");
            Files.writeString(md, Files.readString(md, StandardCharsets.UTF_8) + "\n## Trend across game days\n\n```\n"
                    + trend + "```\n", StandardCharsets.UTF_8);
            Path html = folder.resolve("index.html");
            String page = Files.readString(html, StandardCharsets.UTF_8);
            String section = "<h2>Trend across game days</h2>\n<pre>" + trend.replace("&", "&amp;").replace("<", "&lt;")
                    .replace(">", "&gt;") + "</pre>\n";
            int end = page.lastIndexOf("</body>");
            Files.writeString(html, end < 0 ? page + section : page.substring(0, end) + section + page.substring(end),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not add the trend to the index in " + folder, e);
        }
        return Optional.of(folder.resolve("index.html"));
    }

    private static Path write(Path folder, String runId, Instant started, List<StepResult> results) {
        StringBuilder tsv = new StringBuilder("# faultline game day ").append(runId).append(' ').append(started)
                .append('\n').append("id\tname\texit\toutcome\trecovery_ms\tduration_ms\treason\n");
        for (StepResult s : results) {
            tsv.append(s.id()).append('\t').append(s.name()).append('\t').append(s.exitCode()).append('\t')
                    .append(s.outcome()).append('\t').append(s.timeToRecover().map(d -> String.valueOf(d.toMillis())).orElse("-"))
                    .append('\t').append(s.duration().toMillis()).append('\t').append(s.reason()).append('\n');
        }
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve(SUMMARY_FILE), tsv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the game day's summary to " + folder, e);
        }
        return folder;
    }

    /**
     * How bad an exit code is, for "the worst outcome": held &lt; inconclusive &lt; refused &lt; aborted
     * &lt; could not run &lt; failed. A failed expectation is the finding a game day exists for; a refusal
     * usually follows from an earlier failure that broke the stack.
     */
    static int severity(int exitCode) {
        return switch (exitCode) {
            case ExitCode.HELD -> 0;
            case ExitCode.INCONCLUSIVE -> 1;
            case ExitCode.REFUSED -> 2;
            case ExitCode.ABORTED -> 3;
            case ExitCode.UNUSABLE -> 4;
            case ExitCode.FAILED -> 5;
            default -> 6;
        };
    }

    static String describe(int code) {
        return switch (code) {
            case ExitCode.HELD -> "every experiment held";
            case ExitCode.FAILED -> "an expectation failed";
            case ExitCode.UNUSABLE -> "an experiment could not run";
            case ExitCode.REFUSED -> "refused: the stack was not steady";
            case ExitCode.ABORTED -> "aborted";
            case ExitCode.INCONCLUSIVE -> "inconclusive: a fault reached nothing";
            default -> "exit " + code;
        };
    }

}
