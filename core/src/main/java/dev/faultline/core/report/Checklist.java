package dev.faultline.core.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The post-experiment checklist, answered from a {@link Journal}: error visibility, user impact,
 * monitoring, recovery, alerting, documentation (with concrete recommendations).
 */
public final class Checklist {

    /** One answered question. */
    public record Item(String topic, String question, String answer) {}

    private Checklist() {}

    public static List<Item> answer(Journal j) {
        List<Item> items = new ArrayList<>();
        if (j.faults().stream().noneMatch(f -> f.injectedAtMs() != null)) {
            // Answers about a failure that never happened would mislead.
            items.add(new Item("Experiment", "Was anything tested?", "No: nothing was injected (" + j.outcome()
                    + ": " + j.reason() + "). Fix that and run it again."));
            return items;
        }
        List<Journal.FaultEntry> missed = j.faults().stream()
                .filter(f -> f.injectedAtMs() != null && f.effect() != null && "NONE".equals(f.effect().status())).toList();
        if (!missed.isEmpty()) {
            // the answers below would be about a stack that never met the fault
            items.add(new Item("Experiment", "Did every fault reach the stack?", "No: " + String.join("; ", missed.stream()
                    .map(f -> "'" + f.fault() + "' " + f.effectLine()).toList()) + ". Aim it where the traffic goes (or make"
                    + " traffic go there) and run it again; the answers below say nothing about that fault."));
        }
        items.add(new Item("Error visibility", "Did the logs name the failure users saw?",
                j.logs() == null ? "Not known: the stack's logs were not captured." : j.logs().sentence()));
        Journal.Traffic t = j.traffic();
        String impact = t.callsAfterFault() == 0 ? "No traffic was measured after the fault."
                : t.failedAfterFault() == 0 ? "None: all " + t.callsAfterFault() + " " + t.source()
                        + " after the fault succeeded."
                : t.failedAfterFault() + " of " + t.callsAfterFault() + " " + t.source() + " failed after the fault ("
                        + pct((double) t.failedAfterFault() / t.callsAfterFault()) + ")"
                        + (t.errorsByClass().isEmpty() ? "" : ": " + Markdown.classes(t.errorsByClass()))
                        + Optional.ofNullable(j.recovery().outageMs()).map(o -> "; outage " + Markdown.secs(o)).orElse("") + ".";
        j.lostWrites().ifPresent(v -> items.add(0, new Item("Data", "Were acknowledged writes lost?", "YES: " + v.reason())));
        items.add(new Item("User impact", "What did users see?", impact));
        items.add(new Item("Monitoring", "Did a health check turn unhealthy, and how long after the first user error?",
                monitoring(j)));
        items.add(new Item("Recovery", "Did the stack recover by itself, and by what?", recovery(j)));
        items.add(new Item("Alerting", "What would have paged?", alerting(j)));
        List<String> recs = recommendations(j);
        items.add(new Item("Documentation", "What to write down or fix?",
                recs.isEmpty() ? "Record the recovery figures above as this stack's baseline for this fault."
                        : String.join(" ", recs)));
        return items;
    }

    private static Optional<Journal.EventEntry> firstEvent(Journal j, String prefix) {
        return j.events().stream().filter(e -> e.action().startsWith(prefix)).findFirst();
    }

    private static Optional<Long> firstUserError(Journal j) {
        Long injected = j.faults().stream().map(Journal.FaultEntry::injectedAtMs).filter(x -> x != null)
                .min(Long::compare).orElse(null);
        if (injected == null || j.recovery().timeToDetectMs() == null) {
            return Optional.empty();
        }
        return Optional.of(injected + j.recovery().timeToDetectMs());
    }

    static String monitoring(Journal j) {
        Optional<Journal.EventEntry> unhealthy = firstEvent(j, "health_status: unhealthy");
        Optional<Long> firstError = firstUserError(j);
        if (unhealthy.isPresent()) {
            String rel = firstError.map(e -> ", " + Markdown.secs(unhealthy.get().atMs() - e) + " after the first user error")
                    .orElse("");
            return "Yes: " + unhealthy.get().service() + " turned unhealthy at " + Markdown.offset(unhealthy.get().atMs())
                    + rel + ".";
        }
        boolean anyHealth = j.events().stream().anyMatch(e -> e.action().startsWith("health_status"))
                || j.targets().stream().anyMatch(t -> t.health() != null && !t.health().equals("none"));
        if (firstError.isEmpty()) {
            return anyHealth ? "No health check turned unhealthy; users saw no errors either."
                    : "No health checks are defined; users saw no errors.";
        }
        return anyHealth ? "No: no health check turned unhealthy although users got errors from "
                + Markdown.offset(firstError.get()) + "."
                : "No: no service defines a health check, so nothing but users noticed the failure.";
    }

    static String recovery(Journal j) {
        if (j.recovery().recoveredAtMs() == null) {
            return j.recovery().faultEndedMs() == null ? "Not observed: no fault ended."
                    : "No: the steady state did not hold again within the recovery window; someone would have had to act.";
        }
        List<String> by = new ArrayList<>();
        boolean died = j.events().stream().anyMatch(e -> e.action().equals("die"));
        boolean started = j.events().stream().anyMatch(e -> e.action().equals("start") || e.action().equals("restart"));
        boolean restartFault = j.faults().stream().anyMatch(f -> f.fault().toLowerCase(Locale.ROOT).contains("restart"));
        if (died && started && !restartFault) {
            List<String> dead = j.events().stream().filter(e -> e.action().equals("die")).map(Journal.EventEntry::service)
                    .distinct().toList();
            boolean policy = j.targets().stream().filter(t -> dead.contains(t.service()))
                    .anyMatch(t -> t.restartPolicy() != null && !t.restartPolicy().equals("no") && !t.restartPolicy().isEmpty());
            by.add(policy || j.targets().isEmpty() ? "Docker's restart policy started " + String.join(", ", dead) + " again"
                    : String.join(", ", dead) + " was started again, but not by a restart policy (it has none)");
        } else if (restartFault) {
            by.add("the restarted container came back");
        }
        if (j.logs() != null) {
            if (has(j, "django.server-closed") || has(j, "django.operational-error")) {
                by.add("Django opened new database connections after failing requests");
            }
            if (has(j, "gunicorn.booting-worker")) {
                by.add("Gunicorn booted new workers");
            }
        }
        if (j.traffic().failedAfterFault() == 0 && !died) {
            by.add("nothing had to recover: users saw no errors (retries or headroom absorbed the fault)");
        }
        return "Yes, " + Markdown.secs(j.recovery().timeToRecoverMs()) + " after the fault ended"
                + (by.isEmpty() ? "." : ": " + String.join("; ", by) + ".");
    }

    static String alerting(Journal j) {
        List<String> pages = new ArrayList<>();
        j.events().stream().filter(e -> e.action().startsWith("health_status: unhealthy"))
                .forEach(e -> pages.add("a health_status: unhealthy event of " + e.service() + " at " + Markdown.offset(e.atMs())));
        j.events().stream().filter(e -> e.action().equals("die") || e.action().equals("oom"))
                .forEach(e -> pages.add("a " + e.action() + " event of " + e.service() + " at " + Markdown.offset(e.atMs())));
        if (j.traffic().failedAfterFault() > 0 && j.recovery().errorBudgetConsumed() >= 1.0) {
            pages.add("an error-budget alert (error budget consumed: " + budget(j.recovery().errorBudgetConsumed()) + ")");
        }
        if (pages.isEmpty()) {
            return j.traffic().failedAfterFault() > 0
                    ? "Nothing: no container event or health status changed; only an alert on the 5xx rate would have fired."
                    : "Nothing needed to page.";
        }
        return "An alert on container events would have fired on " + String.join(", ", pages.stream().limit(4).toList())
                + (pages.size() > 4 ? " and " + (pages.size() - 4) + " more" : "") + ".";
    }

    static List<String> recommendations(Journal j) {
        List<String> out = new ArrayList<>();
        List<String> noPolicy = j.targets().stream()
                .filter(t -> t.restartPolicy() == null || t.restartPolicy().equals("no") || t.restartPolicy().isEmpty())
                .map(Journal.Target::service).distinct().toList();
        if (!noPolicy.isEmpty()) {
            out.add("Set `restart: unless-stopped` on " + String.join(", ", noPolicy) + ".");
        }
        List<String> noHealth = j.targets().stream().filter(t -> t.health() == null || t.health().equals("none"))
                .map(Journal.Target::service).distinct().toList();
        if (!noHealth.isEmpty()) {
            out.add("Add a `healthcheck` to " + String.join(", ", noHealth) + ", so that failures show as health_status events.");
        }
        if (j.logs() != null) {
            if (has(j, "django.server-closed")) {
                out.add("Enable `CONN_HEALTH_CHECKS = True` in Django's DATABASES settings: stale connections after a database restart failed requests.");
            }
            if (has(j, "gunicorn.worker-timeout")) {
                out.add("Review Gunicorn's `--timeout` against the slowest request and nginx's `proxy_read_timeout`.");
            }
            if (has(j, "nginx.upstream-refused") || has(j, "nginx.upstream-closed")) {
                out.add("Let nginx retry idempotent requests (`proxy_next_upstream error timeout http_502`) and run more than one web worker/container.");
            }
            if (has(j, "postgres.too-many-clients")) {
                out.add("Size `max_connections` against Gunicorn workers × containers, or add a pooler (PgBouncer).");
            }
            if ("NOT_VISIBLE".equals(j.logs().visibility())) {
                out.add("Log errors where users meet them: users got failures and no service logged a cause.");
            }
        }
        if (j.recovery().recoveredAtMs() == null && j.recovery().faultEndedMs() != null) {
            out.add("Write a runbook for this fault: the stack did not recover by itself.");
        }
        return out;
    }

    private static boolean has(Journal j, String pattern) {
        return j.logs() != null && j.logs().findings().stream().anyMatch(f -> f.pattern().equals(pattern));
    }

    /** Budget use: a percentage, or "N× the budget" once past ten times it (a percentage in the thousands reads as noise). */
    static String budget(double consumed) {
        return consumed <= 10 ? pct(consumed) : String.format(Locale.ROOT, "%.0f× the budget", consumed);
    }

    static String pct(double r) {
        return String.format(Locale.ROOT, "%.1f%%", r * 100);
    }
}
