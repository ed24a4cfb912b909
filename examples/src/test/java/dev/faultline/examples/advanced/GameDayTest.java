package dev.faultline.examples.advanced;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.experiment.Outcome;
import dev.faultline.core.experiment.Recovery;
import dev.faultline.core.observe.RunClock;
import dev.faultline.core.observe.Timeline;
import dev.faultline.dsl.Chaos;
import dev.faultline.dsl.Project;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The suite's order, refusal on a broken stack, worst exit code, results on disk and the trend, on a local health endpoint. */
class GameDayTest {

    HttpServer server;
    final AtomicInteger healthStatus = new AtomicInteger(200);
    final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @TempDir
    Path results;

    @BeforeEach
    void startHealth() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health/", exchange -> {
            exchange.sendResponseHeaders(healthStatus.get(), -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopHealth() {
        server.stop(0);
    }

    Project project() {
        return Chaos.project("fl-scen-gameday-test").healthUrl(healthUrl());
    }

    String healthUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/health/";
    }

    static ExperimentResult result(String name, Outcome outcome, Optional<Duration> recovered) {
        Instant start = Instant.parse("2026-11-27T03:00:00Z");
        Optional<Instant> back = recovered.map(start::plus);
        Recovery recovery = new Recovery(Optional.of(start), Optional.empty(), Optional.empty(), back, back, back,
                recovered, Optional.empty(), Duration.ofSeconds(12), 1.0, 1.0, Recovery.Tally.NONE, Recovery.Tally.NONE);
        return new ExperimentResult(name, name + "-1", outcome, outcome == Outcome.HELD ? "every expectation held" : "it did not",
                start, start.plusSeconds(12), List.of(), List.of(), recovery, List.of(), List.of(), List.of(),
                Timeline.create(RunClock.startingNow()));
    }

    @Test
    void runsEveryStepInOrderAndExitsWithTheWorstOutcome() {
        GameDay gameDay = GameDay.of(project(), List.of(
                new GameDay.Step("01", "one", p -> result("one", Outcome.HELD, Optional.of(Duration.ofMillis(1200)))),
                new GameDay.Step("02", "two", p -> result("two", Outcome.FAILED, Optional.empty())),
                new GameDay.Step("03", "three", p -> result("three", Outcome.ABORTED, Optional.empty()))));

        GameDay.Summary summary = gameDay.run(out);

        assertThat(summary.steps()).extracting(GameDay.StepResult::id).containsExactly("01", "02", "03");
        assertThat(summary.steps()).extracting(GameDay.StepResult::exitCode).containsExactly(0, 1, 4);
        assertThat(summary.exitCode()).isEqualTo(1);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("=== 01 one ===", "=== game day summary ===",
                "exit 1 (an expectation failed)").doesNotContain("\u001b");
    }

    @Test
    void aBrokenStackStopsTheSuiteWithAClearMessage() {
        AtomicInteger ran = new AtomicInteger();
        GameDay gameDay = GameDay.of(project(), List.of(
                new GameDay.Step("01", "breaks-it", p -> {
                    ran.incrementAndGet();
                    healthStatus.set(502);
                    return result("breaks-it", Outcome.FAILED, Optional.empty());
                }),
                new GameDay.Step("02", "never", p -> {
                    ran.incrementAndGet();
                    return result("never", Outcome.HELD, Optional.empty());
                }))).steadyWithin(Duration.ofSeconds(1));

        GameDay.Summary summary = gameDay.run(out);

        assertThat(ran).hasValue(1);
        assertThat(summary.steps().get(1).outcome()).isEqualTo("REFUSED");
        assertThat(summary.steps().get(1).reason()).startsWith("not run: the stack is broken: " + healthUrl()
                + " did not answer 200 within 1 s after 01 breaks-it (last: 502 (expected 200) in ");
        assertThat(summary.exitCode()).as("the failure that broke it is worse than the refusal").isEqualTo(1);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("not running the rest");
    }

    @Test
    void anExperimentThatThrowsCountsAsCouldNotRun() {
        GameDay.Summary summary = GameDay.of(project(), List.of(new GameDay.Step("01", "boom", p -> {
            throw new IllegalStateException("no such service 'web'");
        }))).run(out);

        assertThat(summary.exitCode()).isEqualTo(2);
        assertThat(summary.steps().get(0).reason()).isEqualTo("could not run: no such service 'web'");
    }

    @Test
    void onlyKeepsTheStepsWhoseIdStartsWithAPrefix() {
        GameDay all = GameDay.of(project(), List.of(
                new GameDay.Step("01", "a", p -> null), new GameDay.Step("adv-load", "b", p -> null),
                new GameDay.Step("adv-cascade", "c", p -> null)));

        assertThat(all.only("adv-").steps()).extracting(GameDay.Step::id).containsExactly("adv-load", "adv-cascade");
        assertThat(all.only(" 01 , adv-c").steps()).extracting(GameDay.Step::id).containsExactly("01", "adv-cascade");
        assertThat(all.only("").steps()).hasSize(3);
        assertThatThrownBy(() -> all.only("99")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("only must match at least one of [01, adv-load, adv-cascade], got '99'");
        assertThatThrownBy(() -> all.steadyWithin(Duration.ZERO)).hasMessage("timeout must be in (0, PT1H], got PT0S");
    }

    @Test
    void eachRunKeepsItsResultsAndTheTrendComparesThem() throws Exception {
        Path first = results.resolve("suite-20261120-030000");
        Files.createDirectories(first);
        Files.writeString(first.resolve("suite.tsv"), "# faultline game day suite-20261120-030000\n"
                + "id\tname\texit\toutcome\trecovery_ms\tduration_ms\treason\n"
                + "01\tone\t0\tHELD\t1000\t12000\tevery expectation held\n"
                + "02\ttwo\t0\tHELD\t800\t12000\tevery expectation held\n");
        GameDay.Summary summary = GameDay.of(project(), List.of(
                new GameDay.Step("01", "one", p -> result("one", Outcome.HELD, Optional.of(Duration.ofMillis(2500)))),
                new GameDay.Step("02", "two", p -> result("two", Outcome.FAILED, Optional.empty()))))
                .resultsIn(results).run(out);

        assertThat(summary.folder()).isPresent();
        assertThat(summary.folder().get().resolve("suite.tsv")).isRegularFile()
                .content().contains("01\tone\t0\tHELD\t2500\t12000\tevery expectation held");

        Trend trend = Trend.read(results);
        assertThat(trend.runs()).hasSize(2).first().isEqualTo("suite-20261120-030000");
        assertThat(summary.folder().get().getFileName().toString()).matches("suite-\\d{8}-\\d{6}");
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("trend over 2 run(s)", "results: ");
        assertThat(trend.table())
                .contains("trend over 2 run(s)")
                .containsPattern("01 +one +HELD HELD +2\\.5 s \\(was 1 s, \\+1\\.5 s, slower\\)")
                .containsPattern("02 +two +HELD FAIL +-");
    }

    @Test
    void noResultsFolderIsNoTrend() {
        assertThat(Trend.read(results.resolve("missing")).table()).isEqualTo("trend: no previous runs\n");
    }
}
