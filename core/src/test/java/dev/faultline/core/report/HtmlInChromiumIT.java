package dev.faultline.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens report.html in headless Chromium (Debian's package, installed by tools/chromium.sh when
 * missing): it must render to a non-empty screenshot and make no network request. Requests are
 * read from Chromium's own net log (the page's loads, told apart from Chromium's own calls home);
 * name resolution is mapped to nothing, so a stray URL could not reach anything anyway.
 */
class HtmlInChromiumIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** Where the screenshot is kept for people to look at (target/, so never committed). */
    private static final Path KEEP = Path.of("target/report-screenshot.png");

    @TempDir
    Path dir;

    @BeforeAll
    static void installChromium() throws Exception {
        if (Files.isExecutable(CHROMIUM)) {
            return;
        }
        Path script = Path.of("../tools/chromium.sh").toAbsolutePath().normalize();
        Process p = new ProcessBuilder("bash", script.toString()).inheritIO().start();
        assertThat(p.waitFor(15, TimeUnit.MINUTES)).as("tools/chromium.sh finished").isTrue();
        assertThat(p.exitValue()).as("tools/chromium.sh exit status").isZero();
    }

    @Test
    void rendersOfflineToAScreenshot() throws Exception {
        Path folder = Reports.write(SampleRun.result(), SampleRun.context(), dir.resolve("run"));
        Path html = folder.resolve("report.html");

        Opened opened = open(html);

        assertThat(opened.png().length).isGreaterThan(10_000);
        assertThat(new String(opened.png(), 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        Files.createDirectories(KEEP.getParent());
        Files.write(KEEP, opened.png());
        assertThat(opened.pageRequests()).isEmpty();
        assertThat(Files.readString(html)).doesNotContainPattern("(?i)(src|href)\\s*=\\s*\"?(https?:)?//");
    }

    /** The check itself: a page with one external image is caught. */
    @Test
    void aPageThatLoadsSomethingIsCaught() throws Exception {
        Path html = dir.resolve("external.html");
        Files.writeString(html, "<html><body>x<img src=\"http://example.invalid/a.png\"></body></html>");

        assertThat(open(html).pageRequests()).containsExactly("http://example.invalid/a.png");
    }

    private record Opened(byte[] png, List<String> pageRequests) {}

    private Opened open(Path html) throws Exception {
        Path png = dir.resolve(html.getFileName() + ".png");
        Path netLog = dir.resolve(html.getFileName() + ".netlog.json");
        Path output = dir.resolve(html.getFileName() + ".out");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + dir.resolve("profile-" + html.getFileName()),
                "--host-resolver-rules=MAP * ~NOTFOUND", "--log-net-log=" + netLog, "--window-size=1000,2600",
                "--screenshot=" + png, html.toUri().toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        assertThat(done).as("chromium finished; output: %s", Files.readString(output)).isTrue();
        // Chromium itself calls home (update checks, account lookups) whatever the flags; those
        // requests have no page partition. A page's own loads carry its partitioned privacy mode.
        String log = Files.readString(netLog);
        Matcher m = Pattern.compile("\\{[^{}]*\"privacy_mode\":\"[^\"]*partitioned[^\"]*\"[^{}]*\"url\":\"([^\"]+)\"[^{}]*}").matcher(log);
        List<String> urls = new ArrayList<>();
        while (m.find()) {
            if (!m.group(1).startsWith("file:") && !urls.contains(m.group(1))) {
                urls.add(m.group(1));
            }
        }
        return new Opened(Files.readAllBytes(png), urls);
    }
}
