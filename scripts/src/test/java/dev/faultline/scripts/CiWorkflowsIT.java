package dev.faultline.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the commands of docs/ci/github-actions.yml (GitLab's are the same, CiWorkflowsTest checks)
 * from the repository root, shortened: the build is skipped (this test runs inside it, the
 * scripts jar exists) and the game day runs 01 only. Each command must exit 0, print no terminal
 * control codes when piped, and the run must leave its results folder. The stack is always taken
 * down, with the workflow's own last command.
 */
class CiWorkflowsIT {

    @TempDir
    Path results;

    @Test
    void theWorkflowsCommandsBringUpTheDemoRunTheGameDayAndKeepItsResults() throws Exception {
        List<String> runs = CiWorkflows.githubRuns(CiWorkflows.lines(CiWorkflows.GITHUB));
        String down = runs.get(runs.size() - 1);
        assertThat(down).startsWith("demo/down.sh");
        String project = "fl-scen-ci-" + UUID.randomUUID().toString().substring(0, 6);
        int port = freePort();
        Map<String, String> env = Map.of("FAULTLINE_PROJECT", project, "DEMO_PORT", Integer.toString(port),
                "FAULTLINE_URL", "http://localhost:" + port + "/health/", "FAULTLINE_REPORTS", results.toString(),
                "FAULTLINE_ONLY", "01");
        try {
            for (String command : runs.subList(0, runs.size() - 1)) {
                if (command.startsWith("mvn ")) continue; // this test runs inside that build
                Result r = run(command, env);
                System.out.println("$ " + command + "\n" + r.output());
                assertThat(r.exit()).as("exit code of `%s`; output:%n%s", command, r.output()).isZero();
                assertThat(r.output()).as("`%s` piped: no terminal control codes", command).doesNotContain("\u001b");
            }
            try (Stream<Path> runFolders = Files.list(results)) {
                List<Path> folders = runFolders.toList();
                assertThat(folders).hasSize(1);
                Path suite = folders.get(0);
                assertThat(suite.getFileName().toString()).startsWith("suite-");
                assertThat(suite.resolve("suite.tsv")).content().contains("01\tgunicorn-kill\t0\tHELD");
                // what the workflows upload and publish: the suite's index and JUnit file, each run's folder
                assertThat(suite.resolve("junit.xml")).isRegularFile();
                assertThat(suite.resolve("index.html")).content().contains("Trend across game days");
                try (Stream<Path> experimentFolders = Files.list(suite)) {
                    assertThat(experimentFolders.filter(Files::isDirectory).toList()).singleElement()
                            .satisfies(run -> assertThat(run.resolve("junit.xml")).isRegularFile())
                            .satisfies(run -> assertThat(run.resolve("report.html")).isRegularFile());
                }
            }
        } finally {
            Result r = run(down, env);
            assertThat(r.exit()).as("`%s`: %s", down, r.output()).isZero();
        }
    }

    record Result(int exit, String output) {}

    static Result run(String command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(CiWorkflows.REPO.toFile())
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        Path log = Files.createTempFile("fl-scen-ci-", ".log");
        try {
            pb.redirectOutput(log.toFile());
            Process process = pb.start();
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return new Result(-1, "did not finish in 10 min:\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
