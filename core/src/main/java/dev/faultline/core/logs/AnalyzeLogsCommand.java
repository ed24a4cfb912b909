package dev.faultline.core.logs;

import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.EngineException;
import dev.faultline.core.engine.docker.Engines;
import dev.faultline.core.engine.LogLine;
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
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    public static final String REPORT = "FAULTLINE_REPORT";
    public static final String PROJECT = "FAULTLINE_PROJECT";
    public static final String SINCE = "FAULTLINE_SINCE";
    public static final String UNTIL = "FAULTLINE_UNTIL";
    private static final Pattern AGO = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private AnalyzeLogsCommand() {}

    public static int run(Map<String, String> env, PrintStream out) {
        return run(Engines::docker, env, Clock.systemUTC(), out);
    }

    static int run(Supplier<Engine> engines, Map<String, String> env, Clock clock, PrintStream out) {
        Redactor redactor = Redactor.standard().withSecretsFrom(env);
        String report = env.get(REPORT);
        try {
            if (report != null && !report.isBlank()) {
                return fromFolder(Path.of(report.strip()), out, redactor);
            }
            return live(engines, env, clock, out, redactor);
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

    private static int live(Supplier<Engine> engines, Map<String, String> env, Clock clock, PrintStream out, Redactor redactor) {
        String project = env.get(PROJECT);
        if (project == null || project.isBlank()) {
            throw new IllegalArgumentException("set " + REPORT + "=<experiment folder>, or " + PROJECT
                    + "=<compose project> with " + SINCE + "=10m (or an ISO time)");
        }
        Instant now = clock.instant();
        Instant since = time(SINCE, env.getOrDefault(SINCE, "10m"), now);
        Instant until = env.containsKey(UNTIL) && !env.get(UNTIL).isBlank() ? time(UNTIL, env.get(UNTIL), now) : now;
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

    /** "10m" (ago), "90s", "2h", or an ISO instant "2026-11-27T06:48:00Z". */
    static Instant time(String name, String value, Instant now) {
        String v = value.strip();
        Matcher m = AGO.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(d);
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be a time ago (10m, 90s, 2h, 1d) or an ISO instant "
                    + "(2026-11-27T06:48:00Z), got '" + value + "'");
        }
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
