package dev.faultline.core.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Renders {@code report.html}: one self-contained file (inline CSS and SVG, no script, no external
 * URL), so it opens offline, from a CI artifact or an e-mail. Charts are drawn server-side from the
 * journal's buckets, grouped into one-second bins so a long run stays readable.
 */
public final class Html {

    private static final int W = 900;
    private static final int H = 170;
    private static final int LEFT = 56;
    private static final int RIGHT = 16;
    private static final int TOP = 14;
    private static final int BOTTOM = 26;
    private static final Map<String, String> CLASS_COLORS = new LinkedHashMap<>();

    static {
        // one colour per error class, in ErrorClass order, so the legend follows the classes
        Map<dev.faultline.core.probe.ErrorClass, String> colors = new java.util.EnumMap<>(dev.faultline.core.probe.ErrorClass.class);
        colors.put(dev.faultline.core.probe.ErrorClass.HTTP_500, "#e41a1c");
        colors.put(dev.faultline.core.probe.ErrorClass.HTTP_502, "#d62728");
        colors.put(dev.faultline.core.probe.ErrorClass.HTTP_503, "#ff7f0e");
        colors.put(dev.faultline.core.probe.ErrorClass.HTTP_504, "#8c564b");
        colors.put(dev.faultline.core.probe.ErrorClass.HTTP_5XX, "#e377c2");
        colors.put(dev.faultline.core.probe.ErrorClass.HTTP_4XX, "#bcbd22");
        colors.put(dev.faultline.core.probe.ErrorClass.REFUSED, "#9467bd");
        colors.put(dev.faultline.core.probe.ErrorClass.RESET, "#17becf");
        colors.put(dev.faultline.core.probe.ErrorClass.TIMEOUT, "#7f7f7f");
        colors.put(dev.faultline.core.probe.ErrorClass.UNEXPECTED, "#aec7e8");
        colors.put(dev.faultline.core.probe.ErrorClass.OTHER, "#393b79");
        colors.put(dev.faultline.core.probe.ErrorClass.NOT_SENT, "#000000");
        for (dev.faultline.core.probe.ErrorClass c : dev.faultline.core.probe.ErrorClass.values()) {
            if (c.failed()) {
                CLASS_COLORS.put(c.label(), java.util.Objects.requireNonNull(colors.get(c), "no colour for " + c));
            }
        }
    }

    private Html() {}

    public static String render(Journal j) {
        Objects.requireNonNull(j, "journal");
        StringBuilder out = new StringBuilder(64 * 1024);
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
                .append(e("faultline: " + j.experiment() + " — " + j.outcome())).append("</title>\n<style>\n")
                .append(CSS).append("</style></head><body>\n");
        out.append("<h1>").append(e(j.experiment())).append("</h1>\n");
        j.lostWrites().ifPresent(v -> out.append("<div class=\"lost\">ACKNOWLEDGED WRITES WERE LOST: ")
                .append(e(v.reason())).append("</div>\n"));
        out.append("<div class=\"outcome ").append(j.outcome().toLowerCase(Locale.ROOT)).append("\">").append(j.outcome())
                .append("</div> <span class=\"reason\">").append(e(j.reason())).append("</span>\n");
        out.append("<p class=\"meta\">run ").append(e(j.runId())).append(" · started ").append(e(j.startedAt()))
                .append(" · ").append(Markdown.secs(j.durationMs())).append("</p>\n");

        // figures first: what a reader wants before the charts
        Journal.RecoveryEntry r = j.recovery();
        Journal.Traffic t = j.traffic();
        out.append("<div class=\"figures\">")
                .append(figure("time to detect", r.timeToDetectMs() == null ? "no failure" : Markdown.secs(r.timeToDetectMs())))
                .append(figure("outage", r.outageMs() == null ? (r.timeToDetectMs() == null || r.recoveredAtMs() != null ? "none" : "not over") : Markdown.secs(r.outageMs())))
                .append(figure("time to recover", r.timeToRecoverMs() == null ? "never" : Markdown.secs(r.timeToRecoverMs())))
                .append(figure("availability by time", Checklist.pct(r.availabilityByTime())))
                .append(figure("availability by call", Checklist.pct(r.availabilityByCall())))
                .append(figure("error budget used", Checklist.budget(r.errorBudgetConsumed())))
                .append(figure("p50 / p99", Markdown.millis(t.p50Ms()) + " / " + Markdown.millis(t.p99Ms())))
                .append("</div>\n");
        if (t.senderBehind() != null) out.append("<p class=\"behind\"><strong>").append(e(t.senderBehind())).append("</strong></p>\n");

        List<Bin> bins = bins(j);
        out.append("<h2>Timeline</h2>\n<p class=\"legend\"><span class=\"sw fault\"></span>fault window ")
                .append("<span class=\"sw event\"></span>container event</p>\n");
        double maxRate = bins.stream().mapToDouble(b -> b.requests).max().orElse(1);
        out.append(chart(j, bins, "requests per second", maxRate, (svg, xs) -> {
            svg.append(polyline(bins, xs, b -> (double) b.requests, maxRate, "#1f77b4"));
        }));
        double maxErr = Math.max(1, bins.stream().mapToDouble(b -> b.errors.values().stream().mapToLong(Long::longValue).sum()).max().orElse(1));
        out.append(chart(j, bins, "errors per second by class", maxErr, (svg, xs) -> {
            for (Bin b : bins) {
                double y0 = 0;
                for (Map.Entry<String, String> c : CLASS_COLORS.entrySet()) {
                    long n = b.errors.getOrDefault(c.getKey(), 0L);
                    if (n == 0) {
                        continue;
                    }
                    double x = xs.x(b.startMs);
                    double w = Math.max(1, xs.x(b.startMs + 1000) - x - 1);
                    double y1 = y0 + n;
                    svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %d</title></rect>",
                            x, y(y1, maxErr), w, y(y0, maxErr) - y(y1, maxErr), c.getValue(), e(c.getKey()), n));
                    y0 = y1;
                }
            }
        }));
        TreeSet<String> seen = new TreeSet<>();
        bins.forEach(b -> seen.addAll(b.errors.keySet()));
        if (!seen.isEmpty()) {
            out.append("<p class=\"legend\">");
            for (String c : seen) {
                out.append("<span class=\"sw\" style=\"background:").append(CLASS_COLORS.getOrDefault(c, "#000"))
                        .append("\"></span>").append(e(c)).append(' ');
            }
            out.append("</p>\n");
        }
        double maxLat = Math.max(1, bins.stream().mapToDouble(b -> b.p99).max().orElse(1));
        out.append(chart(j, bins, "latency p50 (blue) and p99 (red), ms", maxLat, (svg, xs) -> {
            svg.append(polyline(bins, xs, b -> b.p50, maxLat, "#1f77b4"));
            svg.append(polyline(bins, xs, b -> b.p99, maxLat, "#d62728"));
        }));

        if (!j.resources().isEmpty()) {
            out.append(resourceChart(j, bins, "CPU per service, % of one core", Journal.SampleEntry::cpuPercent));
            out.append(resourceChart(j, bins, "memory per service, MiB", x -> x.memoryBytes() / (1024.0 * 1024.0)));
        }

        out.append("<h2>Expectations</h2>\n<table><tr><th>expectation</th><th>verdict</th><th>reason</th></tr>\n");
        for (Journal.VerdictEntry v : j.verdicts()) {
            out.append("<tr><td>").append(e(v.expectation())).append("</td><td class=\"").append(v.status().toLowerCase(Locale.ROOT))
                    .append("\">").append(e(v.status().equals("NOT_CHECKED") ? "not checked" : v.status().equals("NOT_EVALUATED") ? "not evaluated"
                            : v.status().toLowerCase(Locale.ROOT)))
                    .append("</td><td>").append(e(v.reason())).append("</td></tr>\n");
        }
        out.append("</table>\n<h2>Faults</h2>\n<table><tr><th>fault</th><th>effect measured</th><th>mechanism</th><th>injected</th><th>reverted</th></tr>\n");
        for (Journal.FaultEntry f : j.faults()) {
            boolean none = f.effect() != null && f.effect().status().equals("NONE");
            out.append("<tr><td>").append(e(f.fault())).append("</td><td").append(none ? " class=\"failed\"" : "").append(">")
                    .append(e(f.effectLine())).append("</td><td>").append(e(f.error() != null ? "FAILED: " + f.error() : f.mechanism()))
                    .append("</td><td>").append(f.injectedAtMs() == null ? "-" : Markdown.offset(f.injectedAtMs()))
                    .append("</td><td>").append(f.revertedAtMs() == null ? "-" : Markdown.offset(f.revertedAtMs())).append("</td></tr>\n");
        }
        out.append("</table>\n");
        if (!j.events().isEmpty()) {
            out.append("<h2>Container events</h2>\n<table><tr><th>time</th><th>service</th><th>event</th></tr>\n");
            for (Journal.EventEntry ev : j.events()) {
                out.append("<tr><td>").append(Markdown.offset(ev.atMs())).append("</td><td>").append(e(ev.service()))
                        .append("</td><td>").append(e(ev.action())).append("</td></tr>\n");
            }
            out.append("</table>\n");
        }
        if (j.logs() != null && !j.logs().findings().isEmpty()) {
            out.append("<h2>Log findings</h2>\n<table><tr><th>service</th><th>message</th><th>count</th><th>first</th><th>meaning</th></tr>\n");
            for (Journal.FindingEntry f : j.logs().findings()) {
                out.append("<tr><td>").append(e(f.service())).append("</td><td><code>").append(e(f.pattern())).append("</code></td><td>")
                        .append(f.count()).append("</td><td>").append(f.firstAfterFaultMs() == null ? "-" : Markdown.offset(f.firstAfterFaultMs()))
                        .append("</td><td>").append(e(f.meaning())).append("</td></tr>\n");
            }
            out.append("</table>\n");
        }
        out.append("<h2>Post-experiment checklist</h2>\n<dl>\n");
        for (Checklist.Item item : Checklist.answer(j)) {
            out.append("<dt>").append(e(item.topic())).append(" — ").append(e(item.question())).append("</dt><dd>")
                    .append(e(item.answer()).replaceAll("`([^`]+)`", "<code>$1</code>")).append("</dd>\n");
        }
        out.append("</dl>\n<p class=\"meta\">faultline ").append(e(j.versions().faultline())).append(" · Java ")
                .append(e(j.versions().java())).append(j.versions().engine() == null ? "" : " · Docker Engine " + e(j.versions().engine()))
                .append(" · journal schema ").append(j.schemaVersion()).append("</p>\n</body></html>\n");
        return out.toString();
    }

    /** One second of the timeline. */
    private static final class Bin {
        long startMs;
        long requests;
        final Map<String, Long> errors = new LinkedHashMap<>();
        double p50;
        double p99;
    }

    private static List<Bin> bins(Journal j) {
        Map<Long, Bin> bins = new java.util.TreeMap<>();
        for (Journal.BucketEntry b : j.buckets()) {
            long second = Math.floorDiv(b.startMs(), 1000) * 1000;
            Bin bin = bins.computeIfAbsent(second, s -> {
                Bin x = new Bin();
                x.startMs = s;
                return x;
            });
            bin.requests += b.requests();
            b.errors().forEach((k, v) -> bin.errors.merge(k, v, Long::sum));
            // the slowest bucket's figures: a one-second bin must not hide a stall
            bin.p50 = Math.max(bin.p50, b.p50Ms());
            bin.p99 = Math.max(bin.p99, b.p99Ms());
        }
        return new ArrayList<>(bins.values());
    }

    @FunctionalInterface
    private interface Xs {
        double x(long ms);
    }

    @FunctionalInterface
    private interface Plot {
        void draw(StringBuilder svg, Xs xs);
    }

    private static String chart(Journal j, List<Bin> bins, String title, double max, Plot plot) {
        long end = Math.max(j.durationMs(), bins.isEmpty() ? 1000 : bins.get(bins.size() - 1).startMs + 1000);
        Xs xs = ms -> LEFT + (double) ms / end * (W - LEFT - RIGHT);
        StringBuilder svg = new StringBuilder();
        svg.append("<figure><figcaption>").append(e(title)).append("</figcaption><svg viewBox=\"0 0 ").append(W).append(' ')
                .append(H).append("\" width=\"100%\" role=\"img\" aria-label=\"").append(e(title)).append("\">");
        for (Journal.FaultEntry f : j.faults()) {
            if (f.injectedAtMs() == null) {
                continue;
            }
            long to = f.revertedAtMs() != null ? f.revertedAtMs()
                    : j.recovery().faultEndedMs() != null ? Math.max(j.recovery().faultEndedMs(), f.injectedAtMs() + 200) : end;
            to = Math.max(to, f.injectedAtMs() + 200); // a one-shot fault still gets a visible band
            svg.append(String.format(Locale.ROOT, "<rect class=\"fault\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"><title>%s</title></rect>",
                    xs.x(f.injectedAtMs()), TOP, xs.x(to) - xs.x(f.injectedAtMs()), H - TOP - BOTTOM, e(f.fault())));
        }
        // axes and grid
        svg.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM));
        svg.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", LEFT, TOP, LEFT, H - BOTTOM));
        svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", LEFT - 4, TOP + 8, num(max)));
        svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>", LEFT - 4, H - BOTTOM));
        long step = niceStep(end);
        for (long s = 0; s <= end; s += step) {
            svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%ds</text>", xs.x(s), H - 8, s / 1000));
        }
        plot.draw(svg, xs);
        int n = 0;
        for (Journal.EventEntry ev : j.events()) {
            double x = xs.x(Math.max(0, ev.atMs()));
            int labelY = TOP + 10 + (n++ % 3) * 11; // staggered: events close together stay readable
            svg.append(String.format(Locale.ROOT, "<line class=\"event\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"><title>%s %s</title></line>",
                    x, TOP, x, H - BOTTOM, e(ev.service()), e(ev.action())));
            svg.append(String.format(Locale.ROOT, "<text class=\"evlabel\" x=\"%.1f\" y=\"%d\">%s %s</text>", x + 2, labelY,
                    e(ev.service()), e(shortAction(ev.action()))));
        }
        svg.append("</svg></figure>\n");
        return svg.toString();
    }

    private static final String[] SERVICE_COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2"};

    /** One line per service through its samples, with a legend naming each service's colour. */
    private static String resourceChart(Journal j, List<Bin> bins, String title,
            java.util.function.ToDoubleFunction<Journal.SampleEntry> value) {
        Map<String, List<Journal.SampleEntry>> byService = new java.util.TreeMap<>();
        j.resources().forEach(x -> byService.computeIfAbsent(x.service(), k -> new java.util.ArrayList<>()).add(x));
        double max = Math.max(1, j.resources().stream().mapToDouble(value).max().orElse(1));
        List<String> services = List.copyOf(byService.keySet());
        String chart = chart(j, bins, title, max, (svg, xs) -> {
            for (int i = 0; i < services.size(); i++) {
                StringBuilder pts = new StringBuilder();
                for (Journal.SampleEntry x : byService.get(services.get(i))) {
                    pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", xs.x(x.atMs()), y(value.applyAsDouble(x), max)));
                }
                svg.append("<polyline fill=\"none\" stroke=\"").append(SERVICE_COLORS[i % SERVICE_COLORS.length])
                        .append("\" stroke-width=\"2\" points=\"").append(pts.toString().trim()).append("\"><title>")
                        .append(e(services.get(i))).append("</title></polyline>");
            }
        });
        StringBuilder legend = new StringBuilder("<p class=\"legend\">");
        for (int i = 0; i < services.size(); i++) {
            legend.append("<span class=\"sw\" style=\"background:").append(SERVICE_COLORS[i % SERVICE_COLORS.length])
                    .append("\"></span>").append(e(services.get(i))).append(' ');
        }
        return chart + legend.append("</p>\n");
    }

    private static String shortAction(String a) {
        return a.startsWith("health_status: ") ? a.substring("health_status: ".length()) : a;
    }

    private static String polyline(List<Bin> bins, Xs xs, java.util.function.ToDoubleFunction<Bin> value, double max, String color) {
        if (bins.isEmpty()) {
            return "";
        }
        StringBuilder pts = new StringBuilder();
        for (Bin b : bins) {
            pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", xs.x(b.startMs + 500), y(value.applyAsDouble(b), max)));
        }
        return "<polyline fill=\"none\" stroke=\"" + color + "\" stroke-width=\"2\" points=\"" + pts.toString().trim() + "\"/>";
    }

    private static double y(double v, double max) {
        return H - BOTTOM - (max <= 0 ? 0 : v / max * (H - TOP - BOTTOM));
    }

    private static long niceStep(long endMs) {
        long[] steps = {1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000};
        for (long s : steps) {
            if (endMs / s <= 12) {
                return s;
            }
        }
        return 1_800_000;
    }

    private static String num(double v) {
        return v >= 100 ? String.valueOf(Math.round(v)) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String figure(String label, String value) {
        return "<div class=\"fig\"><div class=\"v\">" + e(value) + "</div><div class=\"l\">" + e(label) + "</div></div>";
    }

    static String e(String s) {
        return JunitXml.text(s);
    }

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:24px auto;max-width:960px;color:#222;padding:0 12px}
            h1{margin:0 0 8px;font-size:26px}h2{margin-top:28px;font-size:19px;border-bottom:1px solid #ddd;padding-bottom:4px}
            .outcome{display:inline-block;padding:3px 12px;border-radius:4px;font-weight:bold;color:#fff;background:#777}
            .outcome.held{background:#2ca02c}.outcome.failed,.outcome.error{background:#d62728}.outcome.aborted,.outcome.refused,.outcome.inconclusive{background:#ff7f0e}
            .reason{margin-left:8px}.meta{color:#666;font-size:13px}
            .lost{background:#d62728;color:#fff;font-weight:bold;padding:10px;margin:8px 0;border-radius:4px}
            .figures{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
            .fig{border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:110px}
            .fig .v{font-size:20px;font-weight:bold}.fig .l{font-size:12px;color:#666}
            figure{margin:8px 0 4px}figcaption{font-size:13px;color:#444;margin-bottom:2px}
            svg{background:#fcfcfc;border:1px solid #eee}
            .fault{fill:#ffcccc;opacity:.6}.axis{stroke:#999}.event{stroke:#555;stroke-dasharray:3 3}
            .tick{font-size:11px;fill:#666}.evlabel{font-size:10px;fill:#333}
            .legend{font-size:12px;color:#444}.sw{display:inline-block;width:12px;height:12px;margin:0 4px 0 10px;vertical-align:middle}
            .sw.fault{background:#ffcccc}.sw.event{border-left:2px dashed #555;width:0}
            table{border-collapse:collapse;width:100%;font-size:14px}th,td{border:1px solid #ddd;padding:5px 8px;text-align:left;vertical-align:top}
            th{background:#f4f4f4}td.held{color:#2ca02c;font-weight:bold}td.failed{color:#d62728;font-weight:bold}td.not_checked{color:#ff7f0e}
            dt{font-weight:bold;margin-top:10px}dd{margin:2px 0 0 16px}code{background:#f2f2f2;padding:0 3px}
            """;
}
