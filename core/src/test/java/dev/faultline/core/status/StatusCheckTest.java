package dev.faultline.core.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ContainerState;
import dev.faultline.core.engine.ExecResult;
import dev.faultline.core.engine.Health;
import dev.faultline.core.engine.PublishedPort;
import dev.faultline.core.engine.RestartPolicy;
import dev.faultline.core.target.ComposeStack;
import dev.faultline.core.testing.FakeEngine;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusCheckTest {

    static final RestartPolicy UNLESS_STOPPED = new RestartPolicy("unless-stopped", 0);
    static final List<PublishedPort> PUBLISHED = List.of(new PublishedPort(80, "tcp", "0.0.0.0", 8081));

    @Test
    void aResilientStackHasNoWarningsButItsSingleReplicas() {
        ContainerInfo nginx1 = FakeEngine.with(FakeEngine.container("demo", "nginx", 1), ContainerState.RUNNING, Health.HEALTHY, UNLESS_STOPPED, 0, PUBLISHED);
        ContainerInfo nginx2 = FakeEngine.with(FakeEngine.container("demo", "nginx", 2), ContainerState.RUNNING, Health.HEALTHY, UNLESS_STOPPED, 0, PUBLISHED);
        FakeEngine engine = new FakeEngine().add(nginx1).add(nginx2);
        StackStatus status = StatusCheck.of(engine, ComposeStack.named(engine, "demo"));
        assertThat(status.warnings()).isEmpty();
        assertThat(status.render(false)).contains("No warnings.").doesNotContain("\u001b[");
    }

    @Test
    void warnsAboutWhatAFragileStackLacks() {
        ContainerInfo web = FakeEngine.with(FakeEngine.container("demo", "web"), ContainerState.RUNNING, Health.NONE, RestartPolicy.NONE, 0, List.of());
        ContainerInfo db = FakeEngine.with(FakeEngine.container("demo", "db"), ContainerState.EXITED, Health.NONE, UNLESS_STOPPED, 0, List.of());
        ContainerInfo nginx = FakeEngine.with(FakeEngine.container("demo", "nginx"), ContainerState.RESTARTING, Health.UNHEALTHY, UNLESS_STOPPED, 7, PUBLISHED);
        FakeEngine engine = new FakeEngine().add(web).add(db).add(nginx).onExec((id, cmd) -> id.equals(web.id())
                ? new ExecResult(0, "PID ARGS\n/usr/bin/python3 /usr/bin/gunicorn -w 1 app.wsgi\n/usr/bin/python3 /usr/bin/gunicorn -w 1 app.wsgi\nps -eo args\n", "")
                : new ExecResult(0, "postgres\n", ""));

        StackStatus status = StatusCheck.of(engine, ComposeStack.named(engine, "demo"));

        assertThat(status.warnings()).extracting(Warning::toString).containsExactlyInAnyOrder(
                "db: no healthcheck: Docker cannot tell a hung process from a healthy one, and depends_on cannot wait for it to be ready",
                "db: a single container: while it restarts, nothing else serves",
                "demo_db_1: not running (exited, exit code 137)",
                "nginx: a single container: while it restarts, nothing else serves",
                "demo_nginx_1: restarting (restarted 7 times): it keeps crashing",
                "demo_nginx_1: unhealthy: its healthcheck fails",
                "web: no restart policy that restarts after a crash (has 'no'): a crashed process stays down; set restart: unless-stopped",
                "web: no healthcheck: Docker cannot tell a hung process from a healthy one, and depends_on cannot wait for it to be ready",
                "web: a single container: while it restarts, nothing else serves",
                "demo_web_1: Gunicorn runs 1 worker: one slow request blocks all others, and a worker crash is an outage");
        // A stopped container is not looked into.
        assertThat(engine.calls()).noneMatch(c -> c.startsWith("exec " + db.id()));
        String table = status.render(false);
        assertThat(table).contains("SERVICE", "demo_web_1", "exited (137)", "unhealthy", "0.0.0.0:8081->80/tcp", "10 warnings:");
        assertThat(table.lines().filter(l -> l.startsWith("web ")).findFirst().orElseThrow()).contains(" 1 ");
        assertThat(status.render(true)).contains("\u001b[");
    }

    @Test
    void warnsAboutUnpublishedServicesOnlyWhenNothingIsPublished() {
        FakeEngine engine = new FakeEngine().add(FakeEngine.container("demo", "web")).add(FakeEngine.container("demo", "db"));
        assertThat(StatusCheck.of(engine, ComposeStack.named(engine, "demo")).warnings()).extracting(Warning::toString)
                .contains("web: no published port: reachable only inside the Compose network",
                        "db: no published port: reachable only inside the Compose network");
    }

    @Test
    void countsGunicornWorkers() {
        String three = "gunicorn: master [app]\ngunicorn: worker [app]\ngunicorn: worker [app]\ngunicorn: worker [app]\n";
        assertThat(GunicornWorkers.count(three)).hasValue(3);
        assertThat(GunicornWorkers.count("nginx: master process\n")).isEmpty();
        assertThat(GunicornWorkers.count("/usr/bin/gunicorn --workers 4 app.wsgi\n")).hasValue(4);
        assertThat(GunicornWorkers.count("/usr/bin/gunicorn app.wsgi\n")).hasValue(0);
        assertThat(GunicornWorkers.configured("gunicorn -w3 x")).hasValue(3);
        assertThat(GunicornWorkers.configured("gunicorn --workers=2 x")).hasValue(2);
    }

    @Test
    void aContainerThatCannotBeLookedIntoIsNoError() {
        ContainerInfo web = FakeEngine.container("demo", "web");
        FakeEngine engine = new FakeEngine().add(web).onExec((id, cmd) -> {
            throw new dev.faultline.core.engine.EngineException("exec: sh not found");
        });
        StackStatus status = StatusCheck.of(engine, ComposeStack.named(engine, "demo"));
        assertThat(status.services().get(0).gunicornWorkers()).isEmpty();
    }
}
