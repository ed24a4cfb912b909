package dev.faultline.core.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.core.engine.LogLine;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The analyzer on real log lines, captured from the demo stack under the four seed faults by
 * src/test/resources/logs/capture.sh.
 */
class LogAnalysisTest {

    private static Path fixture(String fault) throws URISyntaxException {
        return Path.of(LogAnalysisTest.class.getResource("/logs/" + fault + "/fault.properties").toURI()).getParent();
    }

    private static Instant injected(String fault) throws IOException {
        Properties p = new Properties();
        try (InputStream in = LogAnalysisTest.class.getResourceAsStream("/logs/" + fault + "/fault.properties")) {
            p.load(in);
        }
        return Instant.parse(p.getProperty("injected"));
    }

    private static LogAnalysis analyze(String fault, long userErrors) throws Exception {
        return LogAnalysis.analyze(DockerLogFiles.readFolder(fixture(fault)), Optional.of(injected(fault)), userErrors);
    }

    private static LogFinding finding(LogAnalysis a, String service, String id) {
        return a.findings().stream().filter(f -> f.service().equals(service) && f.pattern().id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + id + " in " + service + ": " + a.findings()));
    }

    @Test
    void crashedWebShowsNginxRefusedConnectionsThenGunicornStartingAgain() throws Exception {
        LogAnalysis a = analyze("crash-web", 42);

        LogFinding refused = finding(a, "nginx", "nginx.upstream-refused");
        assertThat(refused.count()).isGreaterThan(5);
        assertThat(refused.firstAfterFault()).get().satisfies(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofSeconds(5)));
        assertThat(refused.samples()).first().asString().contains("connect() failed (111: Connection refused)");
        assertThat(finding(a, "nginx", "nginx.access-5xx").count()).isEqualTo(42);
        LogFinding starting = finding(a, "web", "gunicorn.starting");
        assertThat(starting.firstSeen()).isAfter(refused.firstSeen());
        assertThat(finding(a, "web", "gunicorn.booting-worker").count()).isEqualTo(3);
        // nginx's "(111: Connection refused)" is nginx's message, not psycopg's
        assertThat(a.findings()).noneMatch(f -> f.pattern().id().equals("django.connection-refused"));
        assertThat(a.visibility()).isEqualTo(LogAnalysis.Visibility.VISIBLE);
        assertThat(a.visibilitySentence()).startsWith("Yes: users saw errors (42 failed requests)");
    }

    @Test
    void restartedDbShowsPostgresShutdownAndDjangoStaleConnection() throws Exception {
        LogAnalysis a = analyze("restart-db", 1);

        assertThat(finding(a, "db", "postgres.fast-shutdown").count()).isEqualTo(1);
        assertThat(finding(a, "db", "postgres.ready").firstSeen())
                .isAfter(finding(a, "db", "postgres.fast-shutdown").firstSeen());
        // the server's own FATAL lines count as PostgreSQL's, the client's quotes of them as Django's
        assertThat(finding(a, "db", "postgres.fatal").samples()).first().asString()
                .endsWith("FATAL:  terminating connection due to administrator command");
        assertThat(a.findings()).noneMatch(f -> f.service().equals("db") && f.pattern().component() == Component.DJANGO);
        assertThat(finding(a, "web", "django.db-starting-up").count()).isEqualTo(2);
        assertThat(finding(a, "web", "django.server-closed").count()).isGreaterThanOrEqualTo(1);
        assertThat(finding(a, "web", "django.operational-error").count()).isGreaterThanOrEqualTo(2);
        assertThat(finding(a, "web", "django.internal-error").samples()).first().asString()
                .contains("Internal Server Error: /api/orders/");
        assertThat(finding(a, "web", "django.traceback").count()).isGreaterThanOrEqualTo(1);
        assertThat(finding(a, "nginx", "nginx.access-5xx").count()).isEqualTo(1);
        assertThat(a.visibility()).isEqualTo(LogAnalysis.Visibility.VISIBLE);
    }

    @Test
    void cpuStressOnWebLogsNothingAndUsersSawNoErrors() throws Exception {
        LogAnalysis a = analyze("cpu-stress-web", 0);

        assertThat(a.errors()).isEmpty();
        assertThat(a.lines().get("nginx")).isGreaterThan(100);
        assertThat(a.visibility()).isEqualTo(LogAnalysis.Visibility.NO_USER_ERRORS);
        assertThat(a.visibilitySentence()).isEqualTo("Nothing to see: users got no errors.");
    }

    @Test
    void latencyToDbIsTheSilentCaseUsersTimedOutAndNoErrorLineWasLogged() throws Exception {
        // 167 requests gave up after 5 s (nginx logged 499, client closed); nothing logged an error
        LogAnalysis a = analyze("latency-web-db", 167);

        assertThat(a.errors()).isEmpty();
        assertThat(a.accessFailures()).isEqualTo(167);
        assertThat(finding(a, "web", "gunicorn.booting-worker").count()).isEqualTo(1);
        assertThat(a.visibility()).isEqualTo(LogAnalysis.Visibility.NOT_VISIBLE);
        assertThat(a.visibilitySentence()).isEqualTo("No: users got errors (167 failed requests) and no error line "
                + "was logged by any service. Whoever is on call would see the failure only from users.");
    }

    @Test
    void withoutUserFiguresTheAccessLogs499sShowTheSilentLatencyCase() throws Exception {
        LogAnalysis a = analyze("latency-web-db", -1);

        assertThat(finding(a, "nginx", "nginx.access-499").count()).isEqualTo(167);
        assertThat(a.visibility()).isEqualTo(LogAnalysis.Visibility.NOT_VISIBLE);
        assertThat(a.visibilitySentence()).startsWith("No: users got errors (167 failed requests in the access log)");
    }

    @Test
    void withoutUserFiguresAccessLog5xxWithoutErrorLinesIsNotVisible() {
        Instant t = Instant.parse("2026-11-27T06:48:03Z");
        Map<String, List<LogLine>> logs = Map.of("nginx", DockerLogFiles.parse(List.of(
                "2026-11-27T06:48:03.190971621Z 192.168.224.1 [2026-11-27T06:48:03+00:00] \"GET / HTTP/1.1\" 502 150 rt=0.000",
                "2026-11-27T06:48:03.290971621Z 192.168.224.1 [2026-11-27T06:48:03+00:00] \"GET / HTTP/1.1\" 200 15 rt=0.010"),
                "nginx"));

        LogAnalysis a = LogAnalysis.analyze(logs, Optional.of(t), -1);

        assertThat(a.visibility()).isEqualTo(LogAnalysis.Visibility.NOT_VISIBLE);
        assertThat(a.visibilitySentence()).startsWith("No: users got errors (1 failed requests in the access log)");
    }

    @Test
    void errorsLoggedBeforeTheFaultDoNotMakeItVisible() {
        Map<String, List<LogLine>> logs = Map.of("nginx", DockerLogFiles.parse(List.of(
                "2026-11-27T07:11:42.1Z 2026/11/27 07:11:42 [error] 7#7: *3 connect() failed (111: Connection refused) while connecting to upstream"),
                "nginx"));

        LogAnalysis a = LogAnalysis.analyze(logs, Optional.of(Instant.parse("2026-11-27T07:11:46Z")), 4);

        assertThat(a.errors()).hasSize(1);
        assertThat(a.errorsSinceFault()).isEmpty();
        assertThat(a.visibility()).isEqualTo(LogAnalysis.Visibility.NOT_VISIBLE);
        assertThat(a.visibilitySentence()).isEqualTo("No: users got errors (4 failed requests) and no error line was "
                + "logged by any service after the fault. Whoever is on call would see the failure only from users.");
    }

    @Test
    void samplesAreRedacted() {
        Map<String, List<LogLine>> logs = Map.of("web", DockerLogFiles.parse(List.of(
                "2026-11-27T06:48:03.1Z psycopg2.OperationalError: connection to postgres://demo:s3cr3t@db:5432/demo failed: Connection refused"),
                "web"));

        LogAnalysis a = LogAnalysis.analyze(logs, Optional.empty(), 1);

        assertThat(a.findings()).isNotEmpty().allSatisfy(f -> assertThat(f.samples().get(0))
                .doesNotContain("s3cr3t").contains("postgres://demo:***@db"));
    }

    @Test
    void parsesDockerTimestampsAndKeepsUntimedLinesWithThePreviousTime() {
        List<LogLine> lines = DockerLogFiles.parse(List.of("2026-11-27T06:48:03.190971621Z first", "continued", ""), "c");

        assertThat(lines).extracting(LogLine::text).containsExactly("first", "continued");
        assertThat(lines.get(1).time()).isEqualTo(Instant.parse("2026-11-27T06:48:03.190971621Z"));
    }
}
