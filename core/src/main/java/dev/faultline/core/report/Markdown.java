package dev.faultline.core.report;

import dev.faultline.core.time.Durations;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** Renders {@code report.md} from a {@link Journal}: what a Django team reads without opening a log. */
public final class Markdown {

    private Markdown() {}

    public static String render(Journal j) {
        Objects.requireNonNull(j, "journal");
        StringBuilder out = new StringBuilder();
        out.append("# Chaos experiment: ").append(j.experiment()).append("\n\n");
        // The worst result first: a lost acknowledged write outranks every other line of the report.
        j.lostWrites().ifPresent(v -> out.append("> **ACKNOWLEDGED WRITES WERE LOST.** ").append(esc(v.reason()))
                .append("\n\n"));
        out.append("**Outcome: ").append(j.outcome()).append("** — ").append(esc(j.reason())).append("\n\n");
        out.append("Run `").append(j.runId()).append("`, started ").append(j.startedAt()).append(", lasted ")
                .append(secs(j.durationMs()));
        if (j.project() != null && !j.project().isEmpty()) {
            out.append(", Compose project `").append(j.project()).append('`');
        }
        out.append(".\n\n");

        out.append("## Hypothesis\n\n");
        Journal.Definition d = j.definition();
        if (d != null) {
            out.append("- Steady state: ").append(d.steadyState() == null ? "none defined" : esc(d.steadyState())).append('\n');
            out.append("- Load: ").append(d.load() == null ? "none" : esc(d.load())).append('\n');
            out.append("- Expected: ").append(d.expectations().isEmpty() ? "nothing"
                    : esc(String.join("; ", d.expectations()))).append('\n');
            if (!d.abortRules().isEmpty()) {
                out.append("- Abort when: ").append(esc(String.join("; ", d.abortRules()))).append('\n');
            }
        } else {
            out.append("- Expected: ").append(esc(j.verdicts().stream().map(Journal.VerdictEntry::expectation)
                    .collect(Collectors.joining("; ")))).append('\n');
        }
        if (!j.targets().isEmpty()) {
            out.append("\n| service | container | image | restart policy | health | restarts |\n|---|---|---|---|---|---|\n");
            for (Journal.Target t : j.targets()) {
                out.append("| ").append(t.service()).append(" | ").append(t.name()).append(" | ").append(t.image())
                        .append(" | ").append(nz(t.restartPolicy())).append(" | ").append(nz(t.health())).append(" | ")
                        .append(t.restartCount()).append(" |\n");
            }
        }

        out.append("\n## What was done\n\n");
        if (j.faults().isEmpty()) {
            out.append("Nothing was injected.\n");
        } else {
            out.append("| fault | effect measured | mechanism | injected | reverted |\n|---|---|---|---|---|\n");
        }
        for (Journal.FaultEntry f : j.faults()) {
            String effect = f.effect() != null && f.effect().status().equals("NONE") ? "**" + esc(f.effectLine()) + "**" : esc(f.effectLine());
            out.append("| ").append(esc(f.fault())).append(" | ").append(effect).append(" | ")
                    .append(esc(f.error() != null ? "FAILED: " + f.error() : f.mechanism())).append(" | ")
                    .append(f.injectedAtMs() == null ? "-" : offset(f.injectedAtMs()))
                    .append(" | ").append(f.revertedAtMs() == null ? "-" : offset(f.revertedAtMs())).append(" |\n");
        }
        if (!j.phases().isEmpty()) {
            out.append("\nPhases: ").append(j.phases().stream().map(p -> p.name() + " " + offset(p.startMs()) + "–"
                    + offset(p.endMs())).collect(Collectors.joining(", "))).append(".\n");
        }

        out.append("\n## Results\n\n").append(j.verdicts().isEmpty() ? "No expectation was checked.\n"
                : "| expectation | verdict | reason |\n|---|---|---|\n");
        for (Journal.VerdictEntry v : j.verdicts()) {
            out.append("| ").append(esc(v.expectation())).append(" | ").append(status(v.status())).append(" | ")
                    .append(esc(v.reason())).append(" |\n");
        }

        Journal.RecoveryEntry r = j.recovery();
        out.append("\n## Recovery\n\n| figure | value |\n|---|---|\n");
        out.append("| time to detect (fault → first failure) | ").append(r.timeToDetectMs() == null ? "no failure" : secs(r.timeToDetectMs())).append(" |\n");
        out.append("| outage (first failure → back) | ").append(r.outageMs() == null
                ? (r.timeToDetectMs() == null || r.recoveredAtMs() != null ? "none" : "still going at the end")
                : secs(r.outageMs())).append(" |\n");
        out.append("| time to recover (fault end → back) | ").append(r.timeToRecoverMs() == null ? "never" : secs(r.timeToRecoverMs())).append(" |\n");
        out.append("| availability by time (of ").append(secs(r.observedWindowMs())).append(" observed from the first fault) | ")
                .append(Checklist.pct(r.availabilityByTime())).append(" |\n");
        out.append("| availability by call (").append(r.callSource()).append(" from the first fault) | ")
                .append(Checklist.pct(r.availabilityByCall())).append(" |\n");
        out.append("| steady-state checks from the first fault | ").append(r.checksSent()).append(" sent: ")
                .append(r.checksOk()).append(" ok, ").append(r.checksFailed()).append(" failed, ").append(r.checksCut())
                .append(" cut by the end of the run |\n");
        out.append("| error budget consumed | ").append(Checklist.budget(r.errorBudgetConsumed())).append(" (budget: ")
                .append(Checklist.pct(r.budget())).append(" of calls) |\n");

        Journal.Traffic t = j.traffic();
        out.append("\n## Traffic\n\n").append(t.calls()).append(' ').append(t.source()).append(", ").append(t.failed())
                .append(" failed");
        if (t.cut() > 0) {
            out.append(", ").append(t.cut()).append(" cut by the end of the run (not failures)");
        }
        if (t.p50Ms() != null) {
            out.append("; latency p50 ").append(millis(t.p50Ms())).append(", p99 ").append(millis(t.p99Ms()));
        }
        out.append(".\n");
        if (t.senderBehind() != null) out.append("\n**").append(t.senderBehind()).append("**\n");
        if (!t.errorsByClass().isEmpty()) {
            out.append("\n| error class | count |\n|---|---|\n");
            t.errorsByClass().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> out.append("| ").append(e.getKey()).append(" | ").append(e.getValue()).append(" |\n"));
        }

        out.append("\n## Container events\n\n");
        if (j.events().isEmpty()) {
            out.append("None.\n");
        } else {
            Long fault = firstFault(j);
            out.append("| time | relative to the fault | service | event |\n|---|---|---|---|\n");
            for (Journal.EventEntry e : j.events()) {
                out.append("| ").append(offset(e.atMs())).append(" | ")
                        .append(fault == null ? "-" : offset(e.atMs() - fault)).append(" | ").append(e.service())
                        .append(" | ").append(esc(e.action())).append(e.detail() == null ? "" : " (" + e.detail() + ")")
                        .append(" |\n");
            }
        }

        out.append("\n## Log findings\n\n");
        if (j.logs() == null) {
            out.append("The stack's logs were not captured.\n");
        } else if (j.logs().findings().isEmpty()) {
            out.append("No known message in ").append(j.logs().lines().values().stream().mapToInt(Integer::intValue).sum())
                    .append(" log lines.\n");
        } else {
            out.append("| service | message | count | first | last | meaning |\n|---|---|---|---|---|---|\n");
            for (Journal.FindingEntry f : j.logs().findings()) {
                out.append("| ").append(f.service()).append(" | `").append(f.pattern()).append("` | ").append(f.count())
                        .append(" | ").append(f.firstAfterFaultMs() == null ? "-" : offset(f.firstAfterFaultMs()))
                        .append(" | ").append(f.lastAfterFaultMs() == null ? "-" : offset(f.lastAfterFaultMs()))
                        .append(" | ").append(esc(f.meaning())).append(" |\n");
            }
            out.append("\nFirst lines of each (times relative to the fault):\n\n```\n");
            for (Journal.FindingEntry f : j.logs().findings()) {
                if (!f.kind().equals("ACCESS_FAILED")) {
                    out.append(f.service()).append(": ").append(f.samples().get(0)).append('\n');
                }
            }
            out.append("```\n");
        }

        out.append("\n## Post-experiment checklist\n\n");
        for (Checklist.Item item : Checklist.answer(j)) {
            out.append("- **").append(item.topic()).append("** — ").append(item.question()).append(' ')
                    .append(item.answer()).append('\n');
        }
        out.append("\n---\nfaultline ").append(j.versions().faultline()).append(", Java ").append(j.versions().java())
                .append(j.versions().engine() == null ? "" : ", Docker Engine " + j.versions().engine()
                        + " (API " + j.versions().engineApi() + ")").append(", journal schema ").append(j.schemaVersion())
                .append(".\n");
        return out.toString();
    }

    static Long firstFault(Journal j) {
        return j.faults().stream().map(Journal.FaultEntry::injectedAtMs).filter(Objects::nonNull).min(Long::compare)
                .orElse(null);
    }

    static String status(String s) {
        return switch (s) {
            case "HELD" -> "held";
            case "FAILED" -> "**FAILED**";
            case "NOT_EVALUATED" -> "not evaluated";
            default -> "could not be checked";
        };
    }

    static String classes(Map<String, Long> byClass) {
        return byClass.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getValue() + " × " + e.getKey()).collect(Collectors.joining(", "));
    }

    /** "+12.3 s" from the run's start. */
    static String offset(long ms) {
        return Durations.offset(ms);
    }

    /** A span in milliseconds as {@link Durations#words}; "-" when not known. */
    static String secs(Long ms) {
        return ms == null ? "-" : Durations.words(ms);
    }

    /** A latency in milliseconds as {@link Durations#latency}; "-" when not known. */
    static String millis(Double ms) {
        return ms == null ? "-" : Durations.latency(ms);
    }

    private static String nz(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    /** Table cells must not break the table. */
    static String esc(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }

    static List<String> lines(String s) {
        return List.of(s.split("\n"));
    }
}
