package dev.faultline.core.cli;

import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.EngineException;
import dev.faultline.core.engine.docker.Engines;
import dev.faultline.core.engine.LogLine;
import dev.faultline.core.logs.DockerLogFiles;
import dev.faultline.core.logs.LogAnalysis;
import dev.faultline.core.logs.LogCapture;
import dev.faultline.core.logs.LogFinding;
import dev.faultline.core.logs.LogPattern;
import dev.faultline.core.logs.LogPatterns;
import dev.faultline.core.redact.Redactor;
import dev.faultline.core.report.Journal;
import dev.faultline.core.report.Reports;
import dev.faultline.core.target.ComposeStack;
import dev.faultline.core.target.TargetNotFoundException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What {@code scripts/analyze-logs.jsh} does, returning its exit code.
 *
 * <p>Either an experiment's folder ({@code FAULTLINE_REPORT=<folder>}: its {@code logs/}, with the
 * fault time and the failed requests from its journal), or a live project's logs for a window
 * ({@code FAULTLINE_PROJECT}, {@code FAULTLINE_SINCE=10m} or an ISO instant, optional
 * {@code FAULTLINE_UNTIL}). Exit codes: 0 the findings were printed and users' errors (if any) were
 * visible in the logs; 1 users got errors (failed requests, or 5xx in an access log) and no error
 * line named a cause; 2 bad parameters, no engine or no stack.
 */
public final class AnalyzeLogsCommand {

    private static final String REPORT = Settings.REPORT;
    private static final String PROJECT = Settings.PROJECT;
    private static final String SINCE = Settings.SINCE;
    private static final String UNTIL = Settings.UNTIL;

    private AnalyzeLogsCommand() {}

    public static int run(Map<String, String> env, PrintStream out) {
        return run(Engines::docker, env, Clock.systemUTC(), out);
    }

    static int run(Supplier<Engine> engines, Map<String, String> env, Clock clock, PrintStream out) {
        Redactor redactor = Redactor.standard().withSecretsFrom(env);
        try {
            Settings settings = Settings.from(env);
            if (settings.report().isPresent()) {
                return fromFolder(settings.report().get(), out, redactor);
            }
            return live(engines, settings, clock, out, redactor);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            out.println("Bad parameter: " + redactor.redact(e.getMessage()));
            return 2;
        } catch (TargetNotFoundException | EngineException e) {
            out.println(redactor.redact(e.getMessage()));
            return 2;
        }
    }

    private static int fromFolder(Path folder, PrintStream out, Redactor redactor) {
        Path logs = folder.resolve("logs");
        if (!Files.isDirectory(logs)) {
            throw new IllegalArgumentException(REPORT + " must be an experiment folder holding logs/, got '" + folder
                    + "' (" + (Files.isDirectory(folder) ? "it has no logs/ folder" : "no such folder") + ")");
        }
        Optional<Instant> fault = Optional.empty();
        long userErrors = -1;
        String title = "logs of " + folder;
        Path journal = folder.resolve("journal.json");
        if (Files.isRegularFile(journal)) {
            Journal j = Reports.read(journal);
            Instant start = Instant.parse(j.startedAt());
            fault = j.faults().stream().map(Journal.FaultEntry::injectedAtMs).filter(x -> x != null).min(Long::compare)
                    .map(start::plusMillis);
            userErrors = j.traffic().failed();
            title = "experiment " + j.experiment() + " (run " + j.runId() + ", " + j.outcome() + ")";
        }
        LogAnalysis a = LogAnalysis.analyze(DockerLogFiles.readFolder(logs), LogPatterns.defaults(), fault, userErrors,
                redactor);
        print(a, title, fault.map(t -> "the fault").orElse(null), out);
        return a.visibility() == LogAnalysis.Visibility.NOT_VISIBLE ? 1 : 0;
    }

    private static int live(Supplier<Engine> engines, Settings settings, Clock clock, PrintStream out, Redactor redactor) {
        String project = settings.project().orElseThrow(() -> new IllegalArgumentException("set " + REPORT
                + "=<experiment folder>, or " + PROJECT + "=<compose project> with " + SINCE + "=10m (or an ISO time)"));
        Instant now = clock.instant();
        Instant since = settings.since().map(m -> m.resolve(now)).orElse(now.minus(java.time.Duration.ofMinutes(10)));
        Instant until = settings.until().map(m -> m.resolve(now)).orElse(now);
        if (!since.isBefore(until)) {
            throw new IllegalArgumentException(SINCE + " must be before " + UNTIL + ", got " + since + " and " + until);
        }
        Engine engine = engines.get();
        ComposeStack stack = ComposeStack.named(engine, project.strip(), PROJECT + " in the environment");
        Map<String, List<LogLine>> logs = LogCapture.capture(engine, stack, since, until);
        LogAnalysis a = LogAnalysis.analyze(logs, LogPatterns.defaults(), Optional.of(since), -1, redactor);
        print(a, "project " + project.strip() + " from " + since + " to " + until, "the window's start", out);
        return a.visibility() == LogAnalysis.Visibility.NOT_VISIBLE ? 1 : 0;
    }

    static void print(LogAnalysis a, String title, String relativeTo, PrintStream out) {
        out.println("Log findings for " + title);
        out.println("Lines read: " + (a.lines().isEmpty() ? "none" : String.join(", ", a.lines().entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + " " + e.getValue()).toList())));
        out.println();
        if (a.findings().isEmpty()) {
            out.println("No known message.");
        }
        for (LogFinding f : a.findings()) {
            String when = f.firstAfterFault().map(d -> String.format(Locale.ROOT, "first %+.1f s, last %+.1f s after %s",
                    d.toMillis() / 1000.0, f.lastAfterFault().get().toMillis() / 1000.0, relativeTo))
                    .orElse("first " + f.firstSeen() + ", last " + f.lastSeen());
            out.printf(Locale.ROOT, "%-6s %-8s %-26s x%-4d %s%n", f.pattern().kind() == LogPattern.Kind.ERROR ? "ERROR"
                    : f.pattern().kind() == LogPattern.Kind.ACCESS_FAILED ? "USER" : "info", f.service(), f.pattern().id(),
                    f.count(), when);
            out.println("       " + f.pattern().meaning());
            out.println("       e.g. " + f.samples().get(0));
        }
        out.println();
        out.println("Error visibility: " + a.visibilitySentence());
    }
}
