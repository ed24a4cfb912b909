package dev.faultline.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The CI examples say what docs/scheduling.md promises: schedule and manual runs, the same commands, reports kept. */
class CiWorkflowsTest {

    static final List<String> COMMANDS = List.of("mvn -B install -DskipTests",
            "demo/up.sh -p \"$FAULTLINE_PROJECT\" resilient", "jshell scripts/game-day.jsh");

    @Test
    void githubRunsWeeklyAndOnDemandAndPublishesTheReports() {
        List<String> lines = CiWorkflows.lines(CiWorkflows.GITHUB);

        assertThat(lines).contains("  schedule:", "    - cron: \"0 3 * * 1\"", "  workflow_dispatch:");
        assertThat(CiWorkflows.githubRuns(lines)).startsWith(COMMANDS.toArray(String[]::new))
                .endsWith("demo/down.sh -p \"$FAULTLINE_PROJECT\"");
        assertThat(String.join("\n", lines)).contains("uses: actions/upload-artifact@", "path: reports/",
                "report_paths: \"reports/**/junit.xml\"").contains("if: always()");
    }

    @Test
    void gitlabRunsTheSameCommandsAndReadsTheJunitReport() {
        List<String> lines = CiWorkflows.lines(CiWorkflows.GITLAB);

        assertThat(CiWorkflows.gitlabList(lines, "script")).isEqualTo(COMMANDS);
        assertThat(CiWorkflows.gitlabList(lines, "after_script")).containsExactly("demo/down.sh -p \"$FAULTLINE_PROJECT\"");
        assertThat(String.join("\n", lines)).contains("  artifacts:\n    when: always\n    paths:\n      - reports/\n"
                + "    reports:\n      junit: reports/**/junit.xml");
        assertThat(lines).contains("    - if: $CI_PIPELINE_SOURCE == \"schedule\"");
    }

    @Test
    void bothFilesSetTheVariablesTheScriptsRead() {
        for (var file : List.of(CiWorkflows.GITHUB, CiWorkflows.GITLAB)) {
            String text = String.join("\n", CiWorkflows.lines(file));
            assertThat(text).as("%s", file.getFileName()).contains("FAULTLINE_PROJECT: faultline-ci", "DEMO_PORT: \"8081\"",
                    "FAULTLINE_URL: http://localhost:8081/health/", "FAULTLINE_REPORTS: reports/results");
        }
    }
}
