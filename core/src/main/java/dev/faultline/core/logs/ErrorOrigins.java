package dev.faultline.core.logs;

import dev.faultline.core.engine.LogLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Error visibility per origin: for every error users saw, which service produced it, and whether
 * that service logged an error in the window. Whoever is on call reads the failing service's log,
 * not every log of the stack: PostgreSQL's shutdown lines do not explain an app's silent 500s, and
 * an access line is a count, not a cause.
 *
 * <p>Behind nginx, 502 and 504 are nginx's own answers (its upstream failed or was slow); a 500,
 * 503, other 5xx or 4xx came from the upstream, told apart by {@code $upstream_status} and
 * {@code $upstream_addr} when nginx's log format has them (an upstream status of "-" means nginx
 * answered itself). A call to nginx refused or reset is nginx's; one that timed out is the
 * upstream's, which nginx was still waiting for (had nginx given up first, it would have been a 504).
 *
 * @param origins     one per service that produced errors users saw
 * @param attribution how origins were told apart, in words
 */
public record ErrorOrigins(List<Origin> origins, String attribution) {

    /** An access line: the request in quotes, then the status. */
    private static final Pattern ACCESS = Pattern.compile("\"[A-Z]+ [^\"]*\" (\\d{3}) ");
    private static final Pattern UPSTREAM_STATUS = Pattern.compile("\\b(?:us|upstream_status|ups)=\"?([0-9, :-]+|-)\"?");
    private static final Pattern UPSTREAM_ADDR = Pattern.compile("\\b(?:ua|upstream_addr|upa)=\"?([^\" ]+(?:, [^\" ]+)*)\"?");

    public ErrorOrigins {
        origins = List.copyOf(origins);
        Objects.requireNonNull(attribution, "attribution");
    }

    /**
     * One service and the errors users saw from it.
     *
     * @param errors     user-facing errors by class label ("500": 3)
     * @param errorLines error lines this service logged in the window
     * @param firstError what the first of them means, or null
     * @param advice     what to change when it logged nothing, or null
     */
    public record Origin(String service, Map<String, Long> errors, long errorLines, String firstError, String advice) {
        public Origin {
            Objects.requireNonNull(service, "service");
            errors = Map.copyOf(errors);
        }

        private String join(boolean statuses) {
            return errors.entrySet().stream().filter(e -> isStatusClass(e.getKey()) || e.getKey().equals("502")
                            || e.getKey().equals("504") || e.getKey().equals("unexpected response") ? statuses : !statuses)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .map(e -> e.getValue() + " × " + e.getKey()).reduce((a, b) -> a + ", " + b).orElse("");
        }

        public boolean logged() {
            return errorLines > 0;
        }

        /** "web answered 3 × 500 and logged nothing in the window: NO — add a logger for django.request". */
        public String answer() {
            String answered = join(true);
            String unanswered = join(false);
            String what = (answered.isEmpty() ? "" : " answered " + answered)
                    + (unanswered.isEmpty() ? "" : (answered.isEmpty() ? "" : ",") + " gave no answer to " + unanswered);
            return service + what + (logged()
                    ? " and logged " + errorLines + (errorLines == 1 ? " error line" : " error lines")
                            + " in the window (first: " + firstError + "): YES"
                    : " and logged nothing in the window: NO — " + advice);
        }
    }

    /** Every origin logged its errors; false when any did not (or nobody saw errors). */
    public boolean visible() {
        return !origins.isEmpty() && origins.stream().allMatch(Origin::logged);
    }

    /** "Yes: nginx answered 22 × 502 and logged ...: YES." or "No: ..."; one clause per origin. */
    public String sentence() {
        String answers = String.join("; ", origins.stream().map(Origin::answer).toList());
        return (visible() ? "Yes: " : "No: ") + answers + ". " + attribution;
    }

    /**
     * @param userErrors   user-facing errors since the first fault, by class label
     * @param logs         the stack's log lines by service
     * @param findings     what {@link LogAnalysis} found in them
     * @param front        the service users called through, when it is nginx (null when there is none)
     * @param servicesByIp container addresses, to name the service behind {@code $upstream_addr}
     * @param faultAt      the first fault: the window starts there
     */
    public static ErrorOrigins analyze(Map<String, Long> userErrors, Map<String, List<LogLine>> logs,
            List<LogFinding> findings, String front, Map<String, String> servicesByIp, Optional<Instant> faultAt) {
        Objects.requireNonNull(userErrors, "userErrors");
        Objects.requireNonNull(logs, "logs");
        Objects.requireNonNull(findings, "findings");
        Objects.requireNonNull(servicesByIp, "servicesByIp");
        Objects.requireNonNull(faultAt, "faultAt");
        List<LogLine> access = front == null ? List.of() : logs.getOrDefault(front, List.of()).stream()
                .filter(l -> faultAt.map(t -> !l.time().isBefore(t)).orElse(true))
                .filter(l -> ACCESS.matcher(l.text()).find()).toList();
        boolean upstreamColumns = access.stream().anyMatch(l -> UPSTREAM_STATUS.matcher(l.text()).find());
        String app = appService(logs, findings, front);
        Map<String, Map<String, Long>> byService = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : userErrors.entrySet()) {
            String cls = e.getKey();
            long n = e.getValue();
            if (n <= 0 || cls.equals("not sent")) {
                continue; // a call that never left was turned away by our own probe, not by a service
            }
            if (front == null) {
                add(byService, app, cls, n);
            } else if (cls.equals("timeout") || cls.equals("unexpected response")) {
                // nginx was still waiting for its upstream when the caller gave up, or passed on its answer
                add(byService, app, cls, n);
            } else if (cls.equals("502") || cls.equals("504") || !isStatusClass(cls)) {
                // nginx's own answers, and calls to nginx refused or reset
                add(byService, front, cls, n);
            } else if (upstreamColumns) {
                Map<String, Long> seen = originsInAccessLog(access, cls, front, servicesByIp);
                if (seen.isEmpty()) {
                    add(byService, app, cls, n);
                } else {
                    split(byService, seen, cls, n);
                }
            } else {
                add(byService, app, cls, n);
            }
        }
        List<Origin> origins = new ArrayList<>();
        byService.forEach((service, errors) -> {
            List<LogFinding> logged = findings.stream().filter(f -> f.service().equals(service)
                    && f.pattern().kind() == LogPattern.Kind.ERROR
                    && f.lastAfterFault().map(d -> !d.isNegative()).orElse(true)).toList();
            long lines = logged.stream().mapToLong(LogFinding::count).sum();
            origins.add(new Origin(service, errors, lines, logged.isEmpty() ? null : logged.get(0).pattern().meaning(),
                    lines > 0 ? null : advice(service, service.equals(front), findings, logs)));
        });
        String attribution = front == null ? "No nginx in front: every error is charged to " + app + "."
                : upstreamColumns ? front + "'s access log has $upstream_status/$upstream_addr: each 5xx and 4xx "
                        + "was charged to the service that answered it."
                : front + "'s access log format has no $upstream_status/$upstream_addr, so 500, 503, other 5xx and 4xx "
                        + "are charged to " + app + " without proof; add `us=$upstream_status ua=\"$upstream_addr\"` to "
                        + "its log_format.";
        return new ErrorOrigins(origins, attribution);
    }

    private static boolean isStatusClass(String cls) {
        return cls.equals("500") || cls.equals("503") || cls.equals("other 5xx") || cls.equals("4xx");
    }

    private static boolean statusInClass(int status, String cls) {
        return switch (cls) {
            case "500" -> status == 500;
            case "503" -> status == 503;
            case "other 5xx" -> status >= 500 && status <= 599 && status != 500 && status != 502 && status != 503
                    && status != 504;
            case "4xx" -> status >= 400 && status <= 499;
            default -> false;
        };
    }

    /** Who answered each access line of class {@code cls}: nginx itself (upstream status "-") or the upstream's service. */
    private static Map<String, Long> originsInAccessLog(List<LogLine> access, String cls, String front,
            Map<String, String> servicesByIp) {
        Map<String, Long> seen = new LinkedHashMap<>();
        for (LogLine l : access) {
            Matcher m = ACCESS.matcher(l.text());
            if (!m.find() || !statusInClass(Integer.parseInt(m.group(1)), cls)) {
                continue;
            }
            Matcher us = UPSTREAM_STATUS.matcher(l.text());
            String upstreamStatus = us.find() ? us.group(1).trim() : "-";
            if (upstreamStatus.equals("-")) {
                seen.merge(front, 1L, Long::sum);
                continue;
            }
            Matcher ua = UPSTREAM_ADDR.matcher(l.text());
            String addr = ua.find() ? last(ua.group(1)) : "-";
            String ip = addr.contains(":") ? addr.substring(0, addr.lastIndexOf(':')) : addr;
            seen.merge(servicesByIp.getOrDefault(ip, "the upstream at " + addr), 1L, Long::sum);
        }
        return seen;
    }

    /** nginx lists every upstream it tried ("a:8000, b:8000"): the last one answered. */
    private static String last(String list) {
        String[] parts = list.split(",");
        return parts[parts.length - 1].trim();
    }

    /** Splits {@code n} user errors over origins in proportion to the access log's counts. */
    private static void split(Map<String, Map<String, Long>> byService, Map<String, Long> seen, String cls, long n) {
        long total = seen.values().stream().mapToLong(Long::longValue).sum();
        long given = 0;
        List<Map.Entry<String, Long>> entries = new ArrayList<>(seen.entrySet());
        entries.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        for (int i = 0; i < entries.size(); i++) {
            long share = i == entries.size() - 1 ? n - given : Math.round((double) n * entries.get(i).getValue() / total);
            share = Math.min(share, n - given);
            if (share > 0) {
                add(byService, entries.get(i).getKey(), cls, share);
                given += share;
            }
        }
    }

    private static void add(Map<String, Map<String, Long>> byService, String service, String cls, long n) {
        byService.computeIfAbsent(service, s -> new LinkedHashMap<>()).merge(cls, n, Long::sum);
    }

    /** The application behind nginx: the service whose log shows Gunicorn or Django, else the other service with the most lines. */
    private static String appService(Map<String, List<LogLine>> logs, List<LogFinding> findings, String front) {
        Optional<String> python = findings.stream().filter(f -> f.pattern().component() == Component.GUNICORN
                || f.pattern().component() == Component.DJANGO).map(LogFinding::service)
                .filter(s -> !s.equals(front)).findFirst();
        if (python.isPresent()) {
            return python.get();
        }
        return logs.entrySet().stream().filter(e -> !e.getKey().equals(front))
                .filter(e -> e.getValue().stream().anyMatch(l -> ACCESS.matcher(l.text()).find()))
                .map(Map.Entry::getKey).findFirst().orElse("the upstream");
    }

    private static String advice(String service, boolean isFront, List<LogFinding> findings, Map<String, List<LogLine>> logs) {
        if (isFront) {
            return "set nginx's error_log to warn (or lower) so that the upstream failures behind its answers are logged";
        }
        boolean django = findings.stream().anyMatch(f -> f.service().equals(service)
                && (f.pattern().component() == Component.DJANGO || f.pattern().component() == Component.GUNICORN))
                || logs.getOrDefault(service, List.of()).stream().anyMatch(l -> {
                    String t = l.text().toLowerCase(Locale.ROOT);
                    return t.contains("gunicorn") || t.contains("django");
                });
        return django ? "add a logger for django.request (Django's LOGGING) so that each 5xx leaves its traceback in "
                + service + "'s log"
                : "make " + service + " log each request it fails, where `docker logs` finds it (for Django: a logger "
                        + "for django.request)";
    }
}
