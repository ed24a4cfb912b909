package dev.faultline.core.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ContainerState;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.docker.Engines;
import dev.faultline.core.engine.Health;
import dev.faultline.core.engine.RestartPolicy;
import dev.faultline.core.status.StackStatus;
import dev.faultline.core.status.StatusCheck;
import dev.faultline.core.status.Warning;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery and status against containers docker-compose really made: a tiny project whose name
 * Compose derives from an odd folder name, with a service that restarts, one that does not, and
 * one that has exited.
 */
class ComposeStackIT {

    static final String COMPOSE = """
            version: "2.4"
            services:
              app:
                image: faultline/debian:trixie
                command: sleep infinity
                restart: unless-stopped
                labels: {faultline.test: fl-engine-it}
              norestart:
                image: faultline/debian:trixie
                command: sleep infinity
              stopped:
                image: faultline/debian:trixie
                command: "true"
            """;

    @TempDir static Path tmp;
    static Path folder;
    static String projectName;
    static final Engine engine = Engines.docker();

    @BeforeAll
    static void up() throws Exception {
        // Upper case, a dot, '_' and '-': docker-compose 1.29 (like v2) keeps '_' and '-', drops the dot.
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        folder = Files.createDirectory(tmp.resolve("Fl_Engine.IT-" + suffix));
        projectName = "fl_engineit-" + suffix;
        Files.writeString(folder.resolve("docker-compose.yml"), COMPOSE);
        compose("up", "-d");
        // "stopped" runs `true`: wait until it has exited, so the status below sees it stopped.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                engine.containers(Map.of("com.docker.compose.project", projectName, "com.docker.compose.service", "stopped"), true)
                        .stream().allMatch(c -> c.state() == ContainerState.EXITED));
    }

    @AfterAll
    static void down() throws Exception {
        if (folder != null) compose("down", "-v", "-t", "0", "--remove-orphans");
    }

    static void compose(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("docker-compose"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true);
        pb.environment().remove("COMPOSE_PROJECT_NAME");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("docker-compose %s:\n%s", args, out).isZero();
    }

    @Test
    void findsTheProjectFromTheFolderAsDockerComposeNamedIt() {
        ComposeStack stack = ComposeStack.find(engine, folder, Map.of());
        assertThat(stack.project()).isEqualTo(projectName);
        assertThat(stack.source()).isEqualTo("folder " + folder.toAbsolutePath() + ", as Compose names it");
        assertThat(stack.services()).containsExactly("app", "norestart", "stopped");
        ContainerInfo app = stack.containers("app").get(0);
        assertThat(app.project()).isEqualTo(projectName);
        assertThat(app.number()).isEqualTo(1);
        assertThat(app.labels()).containsEntry("faultline.test", "fl-engine-it");
    }

    @Test
    void findsTheProjectByComposeProjectName(@TempDir Path elsewhere) {
        ComposeStack stack = ComposeStack.find(engine, elsewhere, Map.of("COMPOSE_PROJECT_NAME", projectName));
        assertThat(stack.project()).isEqualTo(projectName);
        assertThat(stack.source()).isEqualTo("COMPOSE_PROJECT_NAME in the environment");
    }

    @Test
    void findsTheProjectByExplicitName() {
        assertThat(ComposeStack.named(engine, projectName).services()).hasSize(3);
    }

    @Test
    void saysWhatItTriedWhenNothingIsThere(@TempDir Path empty) throws IOException {
        Path nothing = Files.createDirectory(empty.resolve("fl-engine-nothing-here"));
        assertThatThrownBy(() -> ComposeStack.find(engine, nothing, Map.of()))
                .isInstanceOf(TargetNotFoundException.class)
                .hasMessageContaining("tried 'fl-engine-nothing-here' (folder " + nothing + ", as Compose names it)")
                .hasMessageContaining("'flenginenothinghere'")
                .hasMessageContaining(projectName)
                .hasMessageContaining("Run docker-compose up in that folder");
        assertThatThrownBy(() -> ComposeStack.named(engine, projectName).containers("web"))
                .hasMessage("No service 'web' in Compose project '" + projectName + "'; its services are: app, norestart, stopped.");
    }

    @Test
    void statusReportsRealContainers() {
        StackStatus status = StatusCheck.of(engine, ComposeStack.named(engine, projectName));
        ContainerInfo app = status.services().get(0).containers().get(0);
        assertThat(app.state()).isEqualTo(ContainerState.RUNNING);
        assertThat(app.restartPolicy()).isEqualTo(new RestartPolicy("unless-stopped", 0));
        assertThat(app.health()).isEqualTo(Health.NONE);
        assertThat(app.image()).isEqualTo("faultline/debian:trixie");
        ContainerInfo stopped = status.services().get(2).containers().get(0);
        assertThat(stopped.state()).isEqualTo(ContainerState.EXITED);
        assertThat(stopped.exitCode()).isZero();
        assertThat(status.warnings()).extracting(Warning::toString).contains(
                "norestart: no restart policy that restarts after a crash (has 'no'): a crashed process stays down; set restart: unless-stopped",
                projectName + "_stopped_1: not running (exited, exit code 0)",
                "app: no healthcheck: Docker cannot tell a hung process from a healthy one, and depends_on cannot wait for it to be ready")
                .noneMatch(w -> w.startsWith("app: no restart policy"));
        assertThat(status.render(false)).contains(projectName + "_norestart_1", "unless-stopped", "exited (0)");
    }
}
