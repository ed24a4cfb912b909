package dev.faultline.core.logs;

import dev.faultline.core.engine.LogLine;
import dev.faultline.core.redact.Redactor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the stack's logs said during a run.
 *
 * @param findings    one per (pattern, service) that matched, ordered by first appearance
 * @param lines       log lines read, per service
 * @param userErrors  requests or checks that failed for users in the window (from the run), or -1 when unknown
 * @param visibility  whether the logs named the failure users saw
 */
public record LogAnalysis(List<LogFinding> findings, Map<String, Integer> lines, long userErrors, Visibility visibility) {

    private static final int SAMPLES = 3;

    public enum Visibility {
        /** Users saw errors and at least one error line was logged. */
        VISIBLE,
        /** Users saw errors and no log line named a failure: the worst case for whoever is on call. */
        NOT_VISIBLE,
        /** No user-facing error: nothing had to be visible. */
        NO_USER_ERRORS,
        /** No figures from users (a log-only analysis): error lines are reported, visibility cannot be judged. */
        UNKNOWN
    }

    public LogAnalysis {
        findings = List.copyOf(findings);
        lines = Map.copyOf(lines);
        Objects.requireNonNull(visibility, "visibility");
    }

    /**
     * Analyses logs by service.
     *
     * @param faultAt    the first fault's injection, for times relative to it
     * @param userErrors failed user requests in the window, or -1 when not known (then 5xx access lines stand in)
     */
    public static LogAnalysis analyze(Map<String, List<LogLine>> logs, List<LogPattern> patterns,
                                      Optional<Instant> faultAt, long userErrors, Redactor redactor) {
        Objects.requireNonNull(logs, "logs");
        Objects.requireNonNull(patterns, "patterns");
        Objects.requireNonNull(faultAt, "faultAt");
        Objects.requireNonNull(redactor, "redactor");
        List<LogFinding> findings = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        logs.keySet().stream().sorted().forEach(service -> {
            List<LogLine> lines = logs.get(service);
            counts.put(service, lines.size());
            for (LogPattern p : patterns) {
                int n = 0;
                Instant first = null;
                Instant last = null;
                List<String> samples = new ArrayList<>();
                for (LogLine line : lines) {
                    if (!p.matches(line.text())) {
                        continue;
                    }
                    n++;
                    if (first == null) {
                        first = line.time();
                    }
                    last = line.time();
                    if (samples.size() < SAMPLES) {
                        samples.add(redactor.redact(clip(line.text().strip(), 400)));
                    }
                }
                if (n > 0) {
                    Instant f = first;
                    Instant l = last;
                    findings.add(new LogFinding(p, service, n, f, l, faultAt.map(t -> Duration.between(t, f)),
                            faultAt.map(t -> Duration.between(t, l)), samples));
                }
            }
        });
        findings.sort(Comparator.comparing(LogFinding::firstSeen, Comparator.nullsLast(Comparator.naturalOrder())));
        // Lines from before the fault (a stack that just started, an earlier incident) do not make
        // this fault visible: only errors logged from the fault on count.
        boolean errorLogged = findings.stream().anyMatch(f -> f.pattern().kind() == LogPattern.Kind.ERROR
                && f.lastAfterFault().map(d -> !d.isNegative()).orElse(true));
        long users = userErrors >= 0 ? userErrors : -1;
        Visibility v;
        if (users < 0) {
            long failed = maxAccessFailures(findings);
            v = failed == 0 ? (errorLogged ? Visibility.UNKNOWN : Visibility.NO_USER_ERRORS)
                    : errorLogged ? Visibility.VISIBLE : Visibility.NOT_VISIBLE;
        } else if (users == 0) {
            v = Visibility.NO_USER_ERRORS;
        } else {
            v = errorLogged ? Visibility.VISIBLE : Visibility.NOT_VISIBLE;
        }
        return new LogAnalysis(findings, counts, users, v);
    }

    public static LogAnalysis analyze(Map<String, List<LogLine>> logs, Optional<Instant> faultAt, long userErrors) {
        return analyze(logs, LogPatterns.defaults(), faultAt, userErrors, Redactor.standard());
    }

    public List<LogFinding> errors() {
        return findings.stream().filter(f -> f.pattern().kind() == LogPattern.Kind.ERROR).toList();
    }

    /** Error findings with at least one line at or after the fault (all of them when no fault time is known). */
    public List<LogFinding> errorsSinceFault() {
        return errors().stream().filter(f -> f.lastAfterFault().map(d -> !d.isNegative()).orElse(true)).toList();
    }

    /**
     * Failed requests counted in access logs (5xx and 499): the largest count of one service, as
     * nginx and Gunicorn both log the same failed request.
     */
    public long accessFailures() {
        return maxAccessFailures(findings);
    }

    private static long maxAccessFailures(List<LogFinding> findings) {
        Map<String, Long> perService = new java.util.HashMap<>();
        findings.stream().filter(f -> f.pattern().kind() == LogPattern.Kind.ACCESS_FAILED)
                .forEach(f -> perService.merge(f.service(), (long) f.count(), Long::sum));
        return perService.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** The error-visibility finding in one plain sentence. */
    public String visibilitySentence() {
        long errorLines = errorsSinceFault().stream().mapToLong(LogFinding::count).sum();
        long before = errors().stream().mapToLong(LogFinding::count).sum() - errorLines;
        String earlier = before == 0 ? "" : " (" + before + " error lines from before the fault are not counted)";
        String users = userErrors >= 0 ? userErrors + " failed requests" : accessFailures() + " failed requests in the access log";
        return switch (visibility) {
            case VISIBLE -> "Yes: users saw errors (" + users + ") and the logs name a cause ("
                    + errorLines + (errorLines == 1 ? " error line" : " error lines") + ", first: "
                    + errorsSinceFault().get(0).pattern().meaning() + ")." + earlier;
            case NOT_VISIBLE -> "No: users got errors (" + users + ") and no error line was logged by any service"
                    + (before == 0 ? "" : " after the fault") + ". Whoever is on call would see the failure only from users.";
            case NO_USER_ERRORS -> "Nothing to see: users got no errors" + (errorLines > 0
                    ? ", though " + errorLines + " error lines were logged." : ".");
            case UNKNOWN -> errorLines + " error lines were logged; how many requests failed for users is not known.";
        };
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
