package dev.faultline.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.core.engine.LogLine;
import dev.faultline.core.testing.FakeEngine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzeLogsCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private Path folderWithLogsOf(String fault) throws Exception {
        Path source = Path.of(getClass().getResource("/logs/" + fault + "/fault.properties").toURI()).getParent();
        Path logs = Files.createDirectories(dir.resolve(fault).resolve("logs"));
        for (String s : new String[] {"nginx", "web", "db"}) {
            Files.copy(source.resolve(s + ".log"), logs.resolve(s + ".log"));
        }
        return logs.getParent();
    }

    @Test
    void anExperimentFolderWithVisibleErrorsExitsZero() throws Exception {
        int code = AnalyzeLogsCommand.run(FakeEngine::new, Map.of("FAULTLINE_REPORT", folderWithLogsOf("restart-db").toString()),
                Clock.systemUTC(), out);

        assertThat(code).isZero();
        assertThat(printed()).containsPattern("ERROR  web +django.server-closed")
                .containsPattern("info   db +postgres.fast-shutdown").contains("e.g. ")
                .contains("Error visibility: Yes: users saw errors (1 failed requests in the access log)");
    }

    @Test
    void silentLogsWhileUsersGot5xxExitOne() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("silent/logs"));
        Files.writeString(folder.resolve("nginx.log"),
                "2026-11-27T06:48:03.19Z 192.168.224.1 [2026-11-27T06:48:03+00:00] \"GET / HTTP/1.1\" 504 150 rt=60.001\n");

        int code = AnalyzeLogsCommand.run(FakeEngine::new, Map.of("FAULTLINE_REPORT", folder.getParent().toString()),
                Clock.systemUTC(), out);

        assertThat(code).isEqualTo(1);
        assertThat(printed()).contains("Error visibility: No: users got errors (1 failed requests in the access log) and no "
                + "error line was logged by any service.");
    }

    @Test
    void aLiveProjectWindowIsReadFromTheEngine() {
        FakeEngine engine = new FakeEngine().add(FakeEngine.container("shop", "web"));
        String id = engine.containers(Map.of(), true).get(0).id();
        engine.log(id, new LogLine(Instant.parse("2026-11-27T06:55:00Z"), id, true,
                "[2026-11-27 06:55:00 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:9)"));
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T07:00:00Z"), ZoneOffset.UTC);

        int code = AnalyzeLogsCommand.run(() -> engine, Map.of("FAULTLINE_PROJECT", "shop", "FAULTLINE_SINCE", "10m"),
                clock, out);

        assertThat(code).isZero();
        assertThat(printed()).contains("project shop from 2026-11-27T06:50:00Z to 2026-11-27T07:00:00Z")
                .containsPattern("ERROR  web +gunicorn.worker-timeout +x1 +first \\+300.0 s");
    }

    @Test
    void badParametersExitTwoWithTheReason() {
        assertThat(AnalyzeLogsCommand.run(FakeEngine::new, Map.of(), Clock.systemUTC(), out)).isEqualTo(2);
        assertThat(printed()).contains("Bad parameter: set FAULTLINE_REPORT=<experiment folder>, or FAULTLINE_PROJECT");
        assertThat(AnalyzeLogsCommand.run(FakeEngine::new, Map.of("FAULTLINE_PROJECT", "x", "FAULTLINE_SINCE", "yesterday"),
                Clock.systemUTC(), out)).isEqualTo(2);
        assertThat(printed()).contains("FAULTLINE_SINCE must be a time ago (10m, 90s, 2h, 1d) or an ISO instant "
                + "(2026-11-27T06:48:00Z), got 'yesterday'");
        assertThat(AnalyzeLogsCommand.run(FakeEngine::new, Map.of("FAULTLINE_REPORT", dir.resolve("nope").toString()),
                Clock.systemUTC(), out)).isEqualTo(2);
        assertThat(printed()).contains("FAULTLINE_REPORT must be an experiment folder holding logs/, got '"
                + dir.resolve("nope") + "' (no such folder)");
    }

}
