package dev.faultline.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.experiment.Observation;
import dev.faultline.core.probe.ErrorClass;
import dev.faultline.core.probe.SenderLag;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ReportsTest {

    private static final Path GOLDEN = Path.of("src/test/resources/report/golden-report.md");

    @TempDir
    Path dir;

    @Test
    void writesEveryFileOfTheRunFolder() throws Exception {
        Path folder = Reports.write(SampleRun.result(), SampleRun.context(), Reports.defaultFolder(dir, SampleRun.result()));

        assertThat(folder.getFileName().toString()).isEqualTo("20261127-064800-crash-web-a1b2c3");
        assertThat(folder.resolve("journal.json")).isNotEmptyFile();
        assertThat(folder.resolve("report.md")).isNotEmptyFile();
        assertThat(folder.resolve("report.html")).isNotEmptyFile();
        assertThat(folder.resolve("junit.xml")).isNotEmptyFile();
        assertThat(Files.readAllLines(folder.resolve("results.jsonl"))).hasSize(200)
                .first().asString().startsWith("{\"time\":\"2026-11-27T06:48:00Z\",\"offsetMs\":0,\"source\":\"load\",\"ok\":true");
        assertThat(folder.resolve("logs/nginx.log")).content().contains("connect() failed (111: Connection refused)");
        assertThat(folder.resolve("logs/web.log")).content().contains("Starting gunicorn");
    }

    @Test
    void theJournalHoldsWhatTheReportNeeds() throws Exception {
        Path folder = Reports.write(SampleRun.result(), SampleRun.context(), dir.resolve("run"));
        Journal j = Reports.read(folder.resolve("journal.json"));

        assertThat(j.schemaVersion()).isEqualTo(2);
        assertThat(j.definition().expectations()).containsExactly("recovered within 30 s", "error rate below 5%", "no lost writes");
        assertThat(j.definition().faults()).singleElement().satisfies(f -> assertThat(f.atMs()).isEqualTo(5000));
        assertThat(j.targets()).extracting(Journal.Target::service).containsExactly("db", "nginx", "web");
        assertThat(j.faults()).singleElement().satisfies(f -> {
            assertThat(f.injectedAtMs()).isEqualTo(5000);
            assertThat(f.mechanism()).contains("SIGKILL");
        });
        assertThat(j.buckets()).hasSize(200);
        assertThat(j.events()).extracting(Journal.EventEntry::action).containsExactly("die", "start", "health_status: healthy");
        assertThat(j.traffic().errorsByClass()).containsEntry("502", 22L).containsEntry("connection reset", 3L);
        assertThat(j.recovery().timeToRecoverMs()).isEqualTo(2580);
        assertThat(j.recovery().outageMs()).isEqualTo(2680);
        assertThat(j.recovery().checksSent()).isEqualTo(j.recovery().checksOk() + j.recovery().checksFailed()
                + j.recovery().checksCut());
        // 25 failed of 150 calls after the fault, against a 5% budget: 333% of it
        assertThat(j.recovery().errorBudgetConsumed()).isCloseTo(25.0 / (150 * 0.05), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(j.logs().visibility()).isEqualTo("VISIBLE");
        assertThat(j.versions().engine()).isEqualTo("20.10.24");
        assertThat(j.versions().java()).isEqualTo(System.getProperty("java.version"));
    }

    @Test
    void markdownMatchesTheGoldenFile() throws Exception {
        Journal j = Reports.journal(SampleRun.result(), SampleRun.context());
        String md = withoutFooter(Markdown.render(j));
        if (Boolean.getBoolean("faultline.updateGolden")) {
            Files.createDirectories(GOLDEN.getParent());
            Files.writeString(GOLDEN, md);
        }
        assertThat(md).isEqualTo(Files.readString(GOLDEN));
    }

    @Test
    void lostWritesAreSaidFirst() {
        String md = Markdown.render(Reports.journal(SampleRun.result(), SampleRun.context()));
        List<String> lines = md.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines.get(0)).isEqualTo("# Chaos experiment: crash-web");
        assertThat(lines.get(1)).startsWith("> **ACKNOWLEDGED WRITES WERE LOST.** 1 of 74 acknowledged writes were LOST");
        assertThat(lines.get(2)).startsWith("**Outcome: FAILED**");
    }

    @Test
    void aGeneratorThatFellBehindIsSaidWithItsCountInTheReportsAndTheSummary() {
        // the sample's load left on time: no such sentence
        Journal onTime = Reports.journal(SampleRun.result(), SampleRun.context());
        assertThat(onTime.traffic().late()).isZero();
        assertThat(Markdown.render(onTime)).doesNotContain("fell behind");

        // 3 of its 200 requests left 51-200 ms late (1.5 %, over load.jsh's 1 %), 2 more only 50 ms late
        ExperimentResult r = SampleRun.result();
        List<Observation> delayed = new ArrayList<>();
        for (int i = 0; i < r.observations().size(); i++) {
            Observation o = r.observations().get(i);
            Duration delay = i < 3 ? Duration.ofMillis(51 + 70 * i) : i < 5 ? SenderLag.LATE : Duration.ZERO;
            delayed.add(new Observation(o.time(), o.source(), o.ok(), o.latency().plus(delay), o.errorClass(), o.detail(), delay));
        }
        ExperimentResult late = new ExperimentResult(r.name(), r.runId(), r.outcome(), r.reason(), r.startedAt(), r.endedAt(),
                r.phases(), r.faults(), r.recovery(), r.verdicts(), r.events(), delayed, r.timeline());
        Journal j = Reports.journal(late, SampleRun.context());
        assertThat(j.traffic().late()).isEqualTo(3);
        String sentence = "The load generator fell behind its own schedule: it got to 3 of 200 load requests more than "
                + "50 ms after their planned time";
        assertThat(Markdown.render(j)).contains("**" + sentence);
        assertThat(Html.render(j)).contains(sentence);
        // and the console summary a script prints
        assertThat(late.table()).contains(sentence);
        assertThat(r.table()).doesNotContain("fell behind");
    }

    @Test
    void lateSteadyStateChecksAreSaidApartFromTheLoad() {
        // beside the sample's load (on time), 20 steady-state checks, 5 of which their sampler got to 120 ms late
        ExperimentResult r = SampleRun.result();
        List<Observation> observations = new ArrayList<>(r.observations());
        for (int i = 0; i < 20; i++) {
            Duration lag = Duration.ofMillis(i < 5 ? 120 : 0);
            observations.add(new Observation(r.startedAt().plusMillis(100L * i), Observation.Source.STEADY_STATE, true,
                    Duration.ofMillis(3).plus(lag), ErrorClass.NONE, "ok", lag));
        }
        ExperimentResult late = new ExperimentResult(r.name(), r.runId(), r.outcome(), r.reason(), r.startedAt(), r.endedAt(),
                r.phases(), r.faults(), r.recovery(), r.verdicts(), r.events(), observations, r.timeline());

        assertThat(late.table()).contains("The steady-state sampler fell behind its own schedule: it got to 5 of 20 "
                + "steady-state checks more than 50 ms after their planned time")
                .doesNotContain("The load generator fell behind");
    }

    @Test
    void checklistIsAnsweredFromTheData() {
        List<Checklist.Item> items = Checklist.answer(Reports.journal(SampleRun.result(), SampleRun.context()));
        assertThat(items).extracting(Checklist.Item::topic).containsExactly("Data", "Error visibility", "User impact",
                "Monitoring", "Recovery", "Alerting", "Documentation");
        // 502s are nginx's own and a reset is a call to nginx that got no answer: nginx answers for them
        assertThat(items.get(1).answer()).startsWith("Yes: nginx answered 22 × 502, gave no answer to 3 × connection reset and logged "
                + "1 error line in the window (first: nginx could not connect to the upstream");
        assertThat(items.get(3).answer()).isEqualTo("No: no health check turned unhealthy although users got errors from +5.0 s.");
        assertThat(items.get(5).answer()).contains("a die event of web at +5.0 s");
        assertThat(items.get(6).answer()).contains("Set `restart: unless-stopped` on db, nginx, web.")
                .contains("Add a `healthcheck` to db");
    }

    @Test
    void rerenderingFromTheJournalGivesTheSameReports() throws Exception {
        Path folder = Reports.write(SampleRun.result(), SampleRun.context(), dir.resolve("run"));
        String md = Files.readString(folder.resolve("report.md"));
        String html = Files.readString(folder.resolve("report.html"));
        String junit = Files.readString(folder.resolve("junit.xml"));
        Files.delete(folder.resolve("report.md"));
        Files.delete(folder.resolve("report.html"));
        Files.delete(folder.resolve("junit.xml"));

        Reports.rerender(folder.resolve("journal.json"));

        assertThat(folder.resolve("report.md")).hasContent(md);
        assertThat(Files.readString(folder.resolve("report.html"))).isEqualTo(html);
        assertThat(folder.resolve("junit.xml")).hasContent(junit);
    }

    @Test
    void aJournalOfAnotherSchemaIsRefusedByName() throws Exception {
        Path journal = dir.resolve("journal.json");
        Files.writeString(journal, "{\"schemaVersion\": 99}");
        assertThatThrownBy(() -> Reports.rerender(journal)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("journal " + journal + " has schemaVersion 99; this faultline reads 2 to 2");
    }

    @Test
    void junitXmlHasTheShapeCiToolsRead() throws Exception {
        String xml = JunitXml.render(Reports.journal(SampleRun.result(), SampleRun.context()));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Element suites = doc.getDocumentElement();
        assertThat(suites.getTagName()).isEqualTo("testsuites");
        Element suite = (Element) suites.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("name")).isEqualTo("crash-web");
        assertThat(suite.getAttribute("tests")).isEqualTo("3");
        assertThat(suite.getAttribute("failures")).isEqualTo("2");
        assertThat(suite.getAttribute("errors")).isEqualTo("0");
        assertThat(suite.getAttribute("skipped")).isEqualTo("0");
        assertThat(suite.getAttribute("time")).isEqualTo("20.000");
        assertThat(suite.getAttribute("timestamp")).isEqualTo("2026-11-27T06:48:00Z");
        NodeList cases = suite.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(3);
        Element second = (Element) cases.item(1);
        assertThat(second.getAttribute("classname")).isEqualTo("faultline.crash-web");
        assertThat(second.getAttribute("name")).isEqualTo("error rate below 5%");
        Element failure = (Element) second.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).startsWith("16.7% of requests failed");
        assertThat(failure.getAttribute("type")).isEqualTo("ExpectationFailed");
        assertThat(((Element) cases.item(0)).getElementsByTagName("failure").getLength()).isZero();
    }

    @Test
    void suiteIndexLinksEveryRunWithItsOutcome() throws Exception {
        Path a = Reports.write(SampleRun.result(), SampleRun.context(), dir.resolve("runs/a"));
        Path b = Reports.write(SampleRun.result(), SampleRun.context(), dir.resolve("runs/b"));

        Reports.writeIndex(dir.resolve("runs"), List.of(a, b));

        assertThat(dir.resolve("runs/index.md")).content().contains("0 of 2 experiments held.")
                .contains("| crash-web | **WRITES LOST** **FAILED** |").contains("[report](a/report.md)")
                .contains("[html](b/report.html)");
        assertThat(dir.resolve("runs/index.html")).content().contains("<a href=\"a/report.html\">crash-web</a>");
        assertThat(dir.resolve("runs/junit.xml")).content().contains("<testsuites name=\"faultline\" tests=\"6\" failures=\"4\"");
    }

    @Test
    void secretsAreRedactedEverywhereInTheFolder() throws Exception {
        ExperimentResult r = SampleRun.result("the runner failed: cannot connect to postgres://demo:hunter2@db/demo "
                + "(Authorization: Bearer tok-123456)");
        Path folder = Reports.write(r, SampleRun.context(), dir.resolve("run"));

        try (var files = Files.walk(folder)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain("hunter2").doesNotContain("tok-123456");
            }
        }
        assertThat(folder.resolve("journal.json")).content().contains("postgres://demo:***@db/demo");
        assertThat(folder.resolve("logs/web.log")).content().contains("DATABASE_URL=postgres://demo:***@db:5432/demo");
        assertThat(SampleRun.context().toString()).doesNotContain("hunter2")
                .isEqualTo("ReportContext[experiment=crash-web, project=fl-demo, containers=3, logs=5 lines of 2 services]");
    }

    @Test
    void htmlIsSelfContained() {
        String html = Html.render(Reports.journal(SampleRun.result(), SampleRun.context()));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").contains("class=\"fault\"")
                .contains("ACKNOWLEDGED WRITES WERE LOST").contains("Post-experiment checklist");
        assertThat(html).doesNotContainPattern("(?i)(src|href)\\s*=\\s*\"?(https?:)?//")
                .doesNotContainPattern("(?i)<script[^>]*src").doesNotContainPattern("(?i)<link[^>]*stylesheet")
                .doesNotContainPattern("(?i)@import|url\\(");
    }

    private static String withoutFooter(String md) {
        int i = md.lastIndexOf("\n---\n");
        return md.substring(0, i + 1);
    }
}
