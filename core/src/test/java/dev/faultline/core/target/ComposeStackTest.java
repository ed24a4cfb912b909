package dev.faultline.core.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.testing.FakeEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComposeStackTest {

    @TempDir Path tmp;

    @Test
    void normalisesFolderNamesAsComposeV2AndV1Do() {
        assertThat(ProjectNames.v2("demo")).isEqualTo("demo");
        assertThat(ProjectNames.v2("My_App-2")).isEqualTo("my_app-2");
        assertThat(ProjectNames.v1("My_App-2")).isEqualTo("myapp2");
        assertThat(ProjectNames.v2("__-Shop Front.v2")).isEqualTo("shopfrontv2");
        assertThat(ProjectNames.v1("__-Shop Front.v2")).isEqualTo("shopfrontv2");
        assertThat(ProjectNames.v2("-_x")).isEqualTo("x");
        assertThat(ProjectNames.v2("Ünïcode-Å")).isEqualTo("ncode-");
        assertThat(ProjectNames.v2("...")).isEmpty();
    }

    @Test
    void candidatesFollowComposesOrder() throws Exception {
        Path folder = Files.createDirectory(tmp.resolve("My_Stack"));
        assertThat(ProjectNames.candidates(folder, Map.of())).extracting(ProjectNames.Candidate::name)
                .containsExactly("my_stack", "mystack");

        Files.writeString(folder.resolve(".env"), "# comment\nOTHER=1\nCOMPOSE_PROJECT_NAME=\"from-file\"\n");
        assertThat(ProjectNames.candidates(folder, Map.of())).first()
                .satisfies(c -> assertThat(c.name()).isEqualTo("from-file"))
                .satisfies(c -> assertThat(c.source()).contains(".env"));

        assertThat(ProjectNames.candidates(folder, Map.of("COMPOSE_PROJECT_NAME", "fromenv")))
                .containsExactly(new ProjectNames.Candidate("fromenv", "COMPOSE_PROJECT_NAME in the environment"));
    }

    @Test
    void findsTheV1NameWhenOnlyDockerComposeV1MadeIt() throws Exception {
        Path folder = Files.createDirectory(tmp.resolve("my_stack"));
        FakeEngine engine = new FakeEngine().add(FakeEngine.container("mystack", "web"));
        ComposeStack stack = ComposeStack.find(engine, folder, Map.of());
        assertThat(stack.project()).isEqualTo("mystack");
        assertThat(stack.source()).contains("as docker-compose before 1.21 named it");
        assertThat(stack.services()).containsExactly("web");
    }

    @Test
    void prefersTheV2Name() throws Exception {
        Path folder = Files.createDirectory(tmp.resolve("my_stack"));
        FakeEngine engine = new FakeEngine().add(FakeEngine.container("mystack", "web"))
                .add(FakeEngine.container("my_stack", "db"));
        assertThat(ComposeStack.find(engine, folder, Map.of()).project()).isEqualTo("my_stack");
    }

    @Test
    void listsServicesAndContainersByLabel() {
        ContainerInfo web1 = FakeEngine.container("demo", "web", 1);
        ContainerInfo web2 = FakeEngine.container("demo", "web", 2);
        FakeEngine engine = new FakeEngine().add(web2).add(web1).add(FakeEngine.container("demo", "db"))
                .add(FakeEngine.container("other", "web"));
        ComposeStack stack = ComposeStack.named(engine, "demo");
        assertThat(stack.services()).containsExactly("db", "web");
        assertThat(stack.containers("web")).containsExactly(web1, web2);
        assertThat(engine.calls()).contains("containers {com.docker.compose.project=demo, com.docker.compose.service=web} all");
    }

    @Test
    void explainsAMissingProject() throws Exception {
        Path folder = Files.createDirectory(tmp.resolve("Nothing_Here"));
        FakeEngine engine = new FakeEngine().add(FakeEngine.container("demo", "web"))
                .add(FakeEngine.container("shop", "api"));
        assertThatThrownBy(() -> ComposeStack.find(engine, folder, Map.of()))
                .isInstanceOf(TargetNotFoundException.class)
                .hasMessageContaining("'nothing_here' (folder " + folder.toAbsolutePath() + ", as Compose names it)")
                .hasMessageContaining("'nothinghere' (folder")
                .hasMessageContaining("Projects on this engine: demo, shop.")
                .hasMessageContaining("Chaos.project(\"demo\")");
        assertThatThrownBy(() -> ComposeStack.named(engine, "nope"))
                .hasMessageContaining("'nope' (given in code)");
    }

    @Test
    void explainsAMissingService() {
        FakeEngine engine = new FakeEngine().add(FakeEngine.container("demo", "web")).add(FakeEngine.container("demo", "db"));
        assertThatThrownBy(() -> ComposeStack.named(engine, "demo").containers("gunicorn"))
                .isInstanceOf(TargetNotFoundException.class)
                .hasMessage("No service 'gunicorn' in Compose project 'demo'; its services are: db, web.");
    }

    @Test
    void rejectsABlankName() {
        assertThatThrownBy(() -> ComposeStack.named(new FakeEngine(), " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("project");
    }
}
