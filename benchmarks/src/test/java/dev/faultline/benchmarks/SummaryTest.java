package dev.faultline.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.benchmarks.Summary.Line;
import dev.faultline.benchmarks.Summary.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryTest {

    @TempDir
    Path dir;

    Summary.Line line(List<Line> lines, String goalStart) {
        return lines.stream().filter(l -> l.goal().goal().startsWith(goalStart)).findFirst().orElseThrow();
    }

    @Test
    void eachGoalIsJudgedOnThisRunsFiguresAndAbsentOnesAreNotMeasured() throws IOException {
        Files.writeString(dir.resolve("results.txt"), String.join("\n",
                "NOTE loadavg proxy 1.0 1.0 1.0",
                "RESULT jmh paired.httpProbe.p50 78.336 us",
                "RESULT jmh paired.rawOkHttp.p50 96.128 us",
                "RESULT proxy added.toxicproxy.p50 36.304 us",
                "RESULT proxy added.socat.p50 51.568 us",
                "RESULT proxy throughput.toxicproxy/socat 0.900 ratio",
                "RESULT experiments 01-gunicorn-kill.cold.overhead 4560.000 ms",
                "RESULT nginx hey.1000.achieved 992.6601 req/s",
                "RESULT nginx warm.1000.achieved 1000.087 req/s",
                "RESULT nginx cold.1000.achieved  req/s", // a tool printed nothing
                "RESULT nginx warm.1000.sustained 1.000 bool",
                "RESULT nginx warm.1000.latency.p99 7000.0 us"));
        // the two benchmarks run apart: read, but not what the probe's goal is judged on (its calls in pairs are)
        Files.writeString(dir.resolve("jmh.txt"), String.join("\n",
                "ProbeBenchmark.httpProbe:p0.50              N/A  sample             120.336              us/op",
                "ProbeBenchmark.rawOkHttp:p0.50              N/A  sample              96.128              us/op"));

        List<Line> lines = Summary.evaluate(Summary.Figures.read(dir));

        assertThat(line(lines, "HttpProbe within 5 %")).extracting(Line::verdict, Line::figure)
                .containsExactly(Verdict.MET, "0.81× (78.3 vs 96.1 µs)");
        assertThat(line(lines, "TCP proxy adds").verdict()).isEqualTo(Verdict.MET);
        assertThat(line(lines, "TCP proxy throughput").verdict()).isEqualTo(Verdict.MISSED);
        assertThat(line(lines, "first experiment in a fresh JVM")).extracting(Line::verdict, Line::figure)
                .containsExactly(Verdict.MISSED, "4.56 s");
        assertThat(line(lines, "warm: achieved ≥ hey's at 1000").verdict()).isEqualTo(Verdict.MET);
        assertThat(line(lines, "cold: achieved ≥ hey's at 1000").verdict()).isEqualTo(Verdict.NOT_MEASURED);
        assertThat(line(lines, "warm: p99 < 10 ms").figure()).isEqualTo("1k 7.0 ms");
        assertThat(line(lines, "cold (jshell").verdict()).isEqualTo(Verdict.NOT_MEASURED);
        assertThat(line(lines, "fault schedule lateness").verdict()).isEqualTo(Verdict.NOT_MEASURED);
        assertThat(Summary.screen(lines, "test")).contains("MISSED").endsWith("not measured\n");
    }

    @Test
    void theP99GoalJudgesOnlyTheRatesHeySustainedAndShowsTheOthersApart() throws IOException {
        Files.writeString(dir.resolve("results.txt"), String.join("\n",
                "RESULT nginx hey.20000.achieved 19967.0 req/s",
                "RESULT nginx hey.40000.achieved 36569.0 req/s", // 91 %: the machine saturated
                "RESULT nginx cold.20000.p99 2400.0 us",
                "RESULT nginx cold.40000.p99 85700.0 us",
                "RESULT nginx warm.20000.latency.p99 57400.0 us",
                "RESULT nginx warm.40000.latency.p99 3000.0 us"));

        List<Line> lines = Summary.evaluate(Summary.Figures.read(dir));

        assertThat(line(lines, "cold (jshell")).extracting(Line::verdict, Line::figure)
                .containsExactly(Verdict.MET, "20k 2.4 ms; not judged, hey under 99 %: 40k 85.7 ms");
        assertThat(line(lines, "warm: p99 < 10 ms")).extracting(Line::verdict, Line::figure)
                .containsExactly(Verdict.MISSED, "20k 57.4 ms; not judged, hey under 99 %: 40k 3.0 ms");
    }

    @Test
    void theSummaryBlockOfThePageIsReplacedAndNothingElse() {
        String page = "# Benchmarks\n\nintro\n\n" + Summary.BEGIN + "\nold table\n" + Summary.END + "\n\n## 1. Probe overhead\n";

        String updated = Summary.replaceBlock(page, Summary.BEGIN + "\nnew table\n" + Summary.END);

        assertThat(updated).isEqualTo("# Benchmarks\n\nintro\n\n" + Summary.BEGIN + "\nnew table\n" + Summary.END + "\n\n## 1. Probe overhead\n");
        assertThatThrownBy(() -> Summary.replaceBlock("# no block", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("summary:begin");
    }

    @Test
    void anOpenModelShortOfHeysIsJudgedAgainstHeyWithAsManyConnections() throws IOException {
        String common = String.join("\n",
                "RESULT load faultline.10000.sustained 1.000 bool",
                "RESULT load hey.10000.sustained 1 bool",
                "RESULT load faultline.20000.achieved 12411.036 req/s",
                "RESULT load faultline.20000.sustained 0.000 bool",
                "RESULT load hey.20000.achieved 19706.4590 req/s",
                "RESULT load hey.20000.sustained 1 bool", "");
        String goal = "uncapped, where short of hey's";

        Files.writeString(dir.resolve("results.txt"), common);
        assertThat(line(Summary.evaluate(Summary.Figures.read(dir)), goal).verdict()).isEqualTo(Verdict.NOT_MEASURED);

        Files.writeString(dir.resolve("results.txt"), common + "RESULT load hey-c1000.20000.achieved 8641.9 req/s\n"
                + "RESULT load hey-c1000.20000.sustained 0 bool\n");
        assertThat(line(Summary.evaluate(Summary.Figures.read(dir)), goal)).extracting(Line::verdict, Line::figure)
                .containsExactly(Verdict.MET, "20k: 12411, hey 19706, hey at 1000 8642 req/s");

        Files.writeString(dir.resolve("results.txt"), common + "RESULT load hey-c1000.20000.achieved 19990.0 req/s\n"
                + "RESULT load hey-c1000.20000.sustained 1 bool\n");
        assertThat(line(Summary.evaluate(Summary.Figures.read(dir)), goal).verdict()).isEqualTo(Verdict.MISSED);

        // the server's limit, but the generator got less of it than hey did at as many connections
        Files.writeString(dir.resolve("results.txt"), common + "RESULT load hey-c1000.20000.achieved 14000.0 req/s\n"
                + "RESULT load hey-c1000.20000.sustained 0 bool\n");
        assertThat(line(Summary.evaluate(Summary.Figures.read(dir)), goal).verdict()).isEqualTo(Verdict.MISSED);

        Files.writeString(dir.resolve("results.txt"), common.replace("faultline.20000.sustained 0.000", "faultline.20000.sustained 1.000"));
        assertThat(line(Summary.evaluate(Summary.Figures.read(dir)), goal)).extracting(Line::verdict, Line::figure)
                .containsExactly(Verdict.MET, "no shortfall");
    }
}
