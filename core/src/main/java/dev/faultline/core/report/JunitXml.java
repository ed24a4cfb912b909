package dev.faultline.core.report;

import java.util.List;
import java.util.Locale;

/**
 * Renders {@code junit.xml}: one {@code <testcase>} per expectation, a {@code <failure>} with the
 * reason for each that failed, {@code <skipped>} for one that could not be checked, and an
 * {@code <error>} when the run itself failed (refused, aborted, fault not injected) or was inconclusive
 * (a fault measurably reached nothing). The shape read
 * by GitLab, dorny/test-reporter and action-junit-report.
 */
public final class JunitXml {

    private JunitXml() {}

    public static String render(Journal j) {
        return render(List.of(j));
    }

    /** One {@code <testsuite>} per run. */
    public static String render(List<Journal> runs) {
        int tests = 0;
        int failures = 0;
        int errors = 0;
        int skipped = 0;
        double time = 0;
        StringBuilder suites = new StringBuilder();
        for (Journal j : runs) {
            int t = 0;
            int f = 0;
            int e = 0;
            int s = 0;
            StringBuilder cases = new StringBuilder();
            String cls = "faultline." + j.experiment();
            double seconds = j.durationMs() / 1000.0;
            // INCONCLUSIVE too: a fault that reached nothing tested nothing, whatever the expectations say
            boolean runError = j.outcome().equals("ERROR") || j.outcome().equals("REFUSED") || j.outcome().equals("ABORTED")
                    || j.outcome().equals("INCONCLUSIVE");
            if (runError) {
                t++;
                e++;
                cases.append("    <testcase classname=\"").append(attr(cls)).append("\" name=\"run\" time=\"0\">\n")
                        .append("      <error message=\"").append(attr(j.reason())).append("\" type=\"").append(j.outcome())
                        .append("\">").append(text(j.reason())).append("</error>\n    </testcase>\n");
            }
            for (Journal.VerdictEntry v : j.verdicts()) {
                t++;
                cases.append("    <testcase classname=\"").append(attr(cls)).append("\" name=\"").append(attr(v.expectation()))
                        .append("\" time=\"").append(fmt(seconds)).append("\"");
                switch (v.status()) {
                    case "HELD" -> cases.append("/>\n");
                    case "FAILED" -> {
                        f++;
                        cases.append(">\n      <failure message=\"").append(attr(v.reason()))
                                .append("\" type=\"ExpectationFailed\">").append(text(v.reason())).append("</failure>\n    </testcase>\n");
                    }
                    default -> {
                        s++;
                        cases.append(">\n      <skipped message=\"").append(attr(v.reason())).append("\"/>\n    </testcase>\n");
                    }
                }
            }
            suites.append("  <testsuite name=\"").append(attr(j.experiment())).append("\" tests=\"").append(t)
                    .append("\" failures=\"").append(f).append("\" errors=\"").append(e).append("\" skipped=\"").append(s)
                    .append("\" time=\"").append(fmt(seconds)).append("\" timestamp=\"").append(attr(j.startedAt()))
                    .append("\">\n").append("    <properties>\n      <property name=\"runId\" value=\"").append(attr(j.runId()))
                    .append("\"/>\n      <property name=\"outcome\" value=\"").append(j.outcome()).append("\"/>\n    </properties>\n")
                    .append(cases).append("  </testsuite>\n");
            tests += t;
            failures += f;
            errors += e;
            skipped += s;
            time += seconds;
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"faultline\" tests=\"" + tests
                + "\" failures=\"" + failures + "\" errors=\"" + errors + "\" skipped=\"" + skipped + "\" time=\""
                + fmt(time) + "\">\n" + suites + "</testsuites>\n";
    }

    private static String fmt(double seconds) {
        return String.format(Locale.ROOT, "%.3f", seconds);
    }

    static String text(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    // XML 1.0 forbids most control characters, even escaped
                    if (c >= 0x20 || c == '\n' || c == '\t' || c == '\r') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    static String attr(String s) {
        return text(s).replace("\n", "&#10;");
    }
}
