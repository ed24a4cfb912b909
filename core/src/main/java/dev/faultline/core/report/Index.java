package dev.faultline.core.report;

import java.util.List;
import java.util.Locale;

/** The index of a suite: one line per run with its outcome and a link to its folder. */
final class Index {

    private Index() {}

    static String markdown(List<Journal> runs, List<String> links) {
        long held = runs.stream().filter(Journal::held).count();
        StringBuilder out = new StringBuilder("# faultline suite\n\n").append(held).append(" of ").append(runs.size())
                .append(" experiments held").append(inconclusive(runs)).append(".\n\n| experiment | outcome | reason | report |\n|---|---|---|---|\n");
        for (int i = 0; i < runs.size(); i++) {
            Journal j = runs.get(i);
            out.append("| ").append(Markdown.esc(j.experiment())).append(" | ")
                    .append(j.lostWrites().isPresent() ? "**WRITES LOST** " : "").append(j.held() ? j.outcome() : "**" + j.outcome() + "**")
                    .append(" | ").append(Markdown.esc(j.reason())).append(" | [report](").append(links.get(i))
                    .append("/report.md) · [html](").append(links.get(i)).append("/report.html) |\n");
        }
        return out.toString();
    }

    /** ", 2 inconclusive (a fault reached nothing)" or nothing. */
    static String inconclusive(List<Journal> runs) {
        long n = runs.stream().filter(j -> "INCONCLUSIVE".equals(j.outcome())).count();
        return n == 0 ? "" : ", " + n + " inconclusive (a fault reached nothing)";
    }

    static String html(List<Journal> runs, List<String> links) {
        long held = runs.stream().filter(Journal::held).count();
        StringBuilder out = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>faultline suite</title>"
                + "<style>body{font-family:system-ui,sans-serif;max-width:960px;margin:24px auto;padding:0 12px}"
                + "table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:5px 8px;text-align:left}"
                + ".held{color:#2ca02c;font-weight:bold}.bad{color:#d62728;font-weight:bold}</style></head><body>\n<h1>faultline suite</h1>\n<p>")
                .append(held).append(" of ").append(runs.size()).append(" experiments held").append(inconclusive(runs)).append(".</p>\n<table><tr><th>experiment</th><th>outcome</th><th>reason</th></tr>\n");
        for (int i = 0; i < runs.size(); i++) {
            Journal j = runs.get(i);
            out.append("<tr><td><a href=\"").append(Html.e(links.get(i))).append("/report.html\">").append(Html.e(j.experiment()))
                    .append("</a></td><td class=\"").append(j.held() ? "held" : "bad").append("\">")
                    .append(j.lostWrites().isPresent() ? "WRITES LOST · " : "").append(j.outcome().toLowerCase(Locale.ROOT))
                    .append("</td><td>").append(Html.e(j.reason())).append("</td></tr>\n");
        }
        return out.append("</table>\n</body></html>\n").toString();
    }
}
