package dev.faultline.core.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.core.engine.LogLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who produced each error users saw, and whether that service said so, on lines in the demo's formats. */
class ErrorOriginsTest {

    private static final Instant FAULT = Instant.parse("2026-12-02T10:00:00Z");
    private static final Map<String, String> IPS = Map.of("172.18.0.3", "web", "172.18.0.4", "nginx", "172.18.0.2", "db");

    private final Map<String, List<LogLine>> logs = new LinkedHashMap<>();

    private ErrorOriginsTest log(String service, long afterFaultMs, String text) {
        logs.computeIfAbsent(service, s -> new ArrayList<>()).add(new LogLine(FAULT.plusMillis(afterFaultMs), "c", false, text));
        return this;
    }

    private ErrorOrigins analyze(Map<String, Long> userErrors) {
        LogAnalysis a = LogAnalysis.analyze(logs, Optional.of(FAULT), userErrors.values().stream().mapToLong(x -> x).sum());
        return ErrorOrigins.analyze(userErrors, logs, a.findings(), "nginx", IPS, Optional.of(FAULT));
    }

    private ErrorOriginsTest dbRestart() {
        // PostgreSQL's own shutdown lines and nginx's access lines are not the app logging its 500s
        log("db", 100, "2026-12-02 10:00:00.100 UTC [1] LOG:  received fast shutdown request");
        log("db", 150, "2026-12-02 10:00:00.150 UTC [33] FATAL:  terminating connection due to administrator command");
        for (int i = 0; i < 3; i++) {
            log("nginx", 200 + i, "172.18.0.1 [2026-12-02T10:00:00+00:00] \"GET / HTTP/1.1\" 500 145 rt=0.010 urt=0.010 "
                    + "us=500 ua=\"172.18.0.3:8000\"");
            log("web", 200 + i, "172.18.0.4 - - [02/Dec/2026:10:00:00 +0000] \"GET / HTTP/1.0\" 500 145 \"-\" \"okhttp/5\"");
        }
        return this;
    }

    @Test
    void anAppThatAnswered500sAndLoggedNothingIsNamedWithWhatToAdd() {
        ErrorOrigins origins = dbRestart().analyze(Map.of("500", 3L));

        assertThat(origins.visible()).isFalse();
        assertThat(origins.origins()).singleElement().satisfies(o -> {
            assertThat(o.service()).isEqualTo("web");
            assertThat(o.answer()).isEqualTo("web answered 3 × 500 and logged nothing in the window: NO — make web log "
                    + "each request it fails, where `docker logs` finds it (for Django: a logger for django.request)");
        });
        assertThat(origins.sentence()).startsWith("No: web answered 3 × 500")
                .contains("nginx's access log has $upstream_status/$upstream_addr");
    }

    @Test
    void anAppThatLoggedItsTracebackMakesItVisible() {
        dbRestart().log("web", 210, "2026-12-02 10:00:00,210 ERROR django.request: Internal Server Error: /")
                .log("web", 211, "Traceback (most recent call last):");

        ErrorOrigins origins = analyze(Map.of("500", 3L));

        assertThat(origins.visible()).isTrue();
        assertThat(origins.origins()).singleElement().satisfies(o -> assertThat(o.answer())
                .startsWith("web answered 3 × 500 and logged 2 error lines in the window (first: ").endsWith("): YES"));
    }

    @Test
    void badGatewaysAreNginxsOwnAndItsErrorLogAnswersForThem() {
        log("nginx", 40, "2026/12/02 10:00:00 [error] 7#7: *66 connect() failed (111: Connection refused) while "
                + "connecting to upstream, client: 172.18.0.1, server: , request: \"GET /health/ HTTP/1.1\", upstream: "
                + "\"http://172.18.0.3:8000/health/\"");
        log("nginx", 41, "172.18.0.1 [2026-12-02T10:00:00+00:00] \"GET /health/ HTTP/1.1\" 502 150 rt=0.000 urt=0.000 "
                + "us=502 ua=\"172.18.0.3:8000\"");

        ErrorOrigins origins = analyze(Map.of("502", 22L, "connection reset", 1L));

        assertThat(origins.visible()).isTrue();
        assertThat(origins.origins()).singleElement().satisfies(o -> {
            assertThat(o.service()).isEqualTo("nginx");
            assertThat(o.errors()).isEqualTo(Map.of("502", 22L, "connection reset", 1L));
            assertThat(o.answer()).startsWith("nginx answered 22 × 502, gave no answer to 1 × connection reset and logged 1 "
                    + "error line in the window");
        });
    }

    @Test
    void withoutUpstreamColumnsTheAttributionSaysItIsAnAssumption() {
        log("nginx", 200, "172.18.0.1 - - [02/Dec/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 500 145 \"-\" \"okhttp/5\"");
        log("web", 5, "[2026-12-02 10:00:00 +0000] [9] [INFO] Booting worker with pid: 9");

        ErrorOrigins origins = analyze(Map.of("500", 1L));

        assertThat(origins.origins()).singleElement().satisfies(o -> {
            assertThat(o.service()).isEqualTo("web");
            assertThat(o.answer()).endsWith("NO — add a logger for django.request (Django's LOGGING) so that each 5xx "
                    + "leaves its traceback in web's log");
        });
        assertThat(origins.attribution()).isEqualTo("nginx's access log format has no $upstream_status/$upstream_addr, "
                + "so 500, 503, other 5xx and 4xx are charged to web without proof; add "
                + "`us=$upstream_status ua=\"$upstream_addr\"` to its log_format.");
    }

    @Test
    void aStatusNginxAnsweredItselfIsChargedToNginx() {
        // limit_req answers 503 without asking the upstream: its upstream status is "-"
        log("nginx", 200, "172.18.0.1 [2026-12-02T10:00:00+00:00] \"GET / HTTP/1.1\" 503 197 rt=0.000 urt=- us=- ua=\"-\"");

        ErrorOrigins origins = analyze(Map.of("503", 1L));

        assertThat(origins.origins()).extracting(ErrorOrigins.Origin::service).containsExactly("nginx");
    }
}
