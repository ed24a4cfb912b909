package dev.faultline.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.core.report.Journal;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

class NotifierTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @StartStop
    private final MockWebServer server = new MockWebServer();

    static Journal journal(String outcome, boolean lost) {
        List<Journal.VerdictEntry> verdicts = lost
                ? List.of(new Journal.VerdictEntry("recovered within 30 s", "HELD", "held again 2.4 s after the fault"),
                        new Journal.VerdictEntry("no lost writes", "FAILED", "1 of 74 acknowledged writes were LOST (ids 31)"))
                : List.of(new Journal.VerdictEntry("recovered within 30 s", "HELD", "held again 2.4 s after the fault"));
        return new Journal(Journal.SCHEMA_VERSION, "crash-web-a1b2c3", "crash-web", outcome, lost ? "1 of 2 expectations did not hold: no lost writes"
                : "every expectation held", "2026-11-27T06:48:00Z", "2026-11-27T06:48:20Z", 20_000, null, "fl-demo",
                List.of(), List.of(), List.of(),
                new Journal.RecoveryEntry(5100L, 5000L, 0L, 7500L, 7400L, 2400L, 2500L, 14_900, 0.8322, 0.8333,
                        "load requests", 150, 125, 25, 0, 0.05, 3.33),
                new Journal.Traffic("load requests", 200, 25, 0, Map.of("502", 22L), 14.0, 180.0, 150, 25, 0, null), verdicts, 100,
                List.of(), List.of(), List.of(), List.of(), null, new Journal.Versions("0.1.0", "17", "20.10.24", "1.41"));
    }

    private String url(String path) {
        return server.url(path).toString();
    }

    @Test
    void slackGetsOneBlockKitMessagePerRun() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
        Notifier n = Notifier.none().withSlack(url("/services/T0/B0/secret"));

        List<String> warnings = n.notifyRun(journal("FAILED", true), "reports/results/20261127-064800-crash-web/report.html");

        assertThat(warnings).isEmpty();
        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
        JsonNode body = JSON.readTree(request.getBody().utf8());
        assertThat(body.get("text").asText()).isEqualTo("faultline: crash-web FAILED");
        JsonNode blocks = body.get("blocks");
        assertThat(blocks.get(0).get("type").asText()).isEqualTo("header");
        assertThat(blocks.get(0).get("text").get("text").asText()).isEqualTo("faultline: crash-web FAILED");
        assertThat(blocks.get(1).get("text").get("text").asText())
                .startsWith("*ACKNOWLEDGED WRITES WERE LOST.* :rotating_light: *FAILED*: 1 of 2 expectations did not hold");
        JsonNode fields = blocks.get(2).get("fields");
        assertThat(fields).hasSize(3);
        assertThat(fields.get(1).get("text").asText()).isEqualTo(":x: *no lost writes*\n1 of 74 acknowledged writes were LOST (ids 31)");
        assertThat(fields.get(2).get("text").asText()).isEqualTo("*Recovery*\n2.4 s after the fault, availability 83.2% by time, 83.3% by call");
        assertThat(blocks.get(3).get("type").asText()).isEqualTo("context");
        assertThat(blocks.get(3).get("elements").get(0).get("text").asText())
                .isEqualTo("Report: reports/results/20261127-064800-crash-web/report.html · run crash-web-a1b2c3");
    }

    @Test
    void genericWebhookGetsTheJournalSummary() throws Exception {
        server.enqueue(new MockResponse.Builder().code(204).build());
        Notifier n = Notifier.none().withWebhook(url("/hook"));

        assertThat(n.notifyRun(journal("HELD", false), "r/report.html")).isEmpty();

        JsonNode body = JSON.readTree(server.takeRequest().getBody().utf8());
        assertThat(body.get("kind").asText()).isEqualTo("faultline.run");
        assertThat(body.get("schemaVersion").asInt()).isEqualTo(2);
        assertThat(body.get("outcome").asText()).isEqualTo("HELD");
        assertThat(body.get("writesLost").asBoolean()).isFalse();
        assertThat(body.get("verdicts").get(0).get("expectation").asText()).isEqualTo("recovered within 30 s");
        assertThat(body.get("recovery").get("timeToRecoverMs").asLong()).isEqualTo(2400);
        assertThat(body.get("report").asText()).isEqualTo("r/report.html");
        assertThat(body.has("buckets")).isFalse();
    }

    @Test
    void aSuiteIsOneMessage() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).build());
        Notifier n = Notifier.none().withSlack(url("/s"));

        n.notifySuite(List.of(journal("HELD", false), journal("FAILED", true)), "reports/results/index.html");

        JsonNode body = JSON.readTree(server.takeRequest().getBody().utf8());
        assertThat(body.get("text").asText()).isEqualTo("faultline suite: 1 of 2 held");
        assertThat(body.get("blocks").get(1).get("text").get("text").asText())
                .startsWith("*ACKNOWLEDGED WRITES WERE LOST in at least one run.*\n:white_check_mark: *crash-web* HELD");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aFailedSendIsAWarningThatDoesNotShowTheUrl() {
        server.enqueue(new MockResponse.Builder().code(500).body("boom").build());
        Notifier n = Notifier.none().withWebhook(url("/hook/s3cret-token"));

        List<String> warnings = n.notifyRun(journal("HELD", false), null);

        assertThat(warnings).singleElement().asString().startsWith("webhook notification to " + server.getHostName()
                + " failed: HTTP 500 boom").doesNotContain("s3cret-token");
    }

    @Test
    void anUnreachableEndpointIsAWarningToo() {
        int port = server.getPort();
        server.close();
        Notifier n = Notifier.none().withSlack("http://127.0.0.1:" + port + "/services/T/B/s3cret");

        assertThat(n.notifyRun(journal("HELD", false), null)).singleElement().asString()
                .startsWith("Slack notification to 127.0.0.1 failed: ").doesNotContain("s3cret");
    }

    @Test
    void urlsAreSecretsInMessagesAndToString() {
        assertThatThrownBy(() -> Notifier.none().withSlack("ftp://hooks.example/s3cret"))
                .hasMessage("slack url must be an http(s) URL with a host, got scheme 'ftp' (the URL itself is not shown: "
                        + "webhook URLs are secrets)");
        Notifier n = Notifier.none().withSlack("https://hooks.slack.com/services/T/B/s3cret");
        assertThat(n.toString()).isEqualTo("Notifier[slack=set, webhook=unset]");
        assertThat(Notifier.none().enabled()).isFalse();
    }
}
