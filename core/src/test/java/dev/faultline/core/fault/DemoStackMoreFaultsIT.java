package dev.faultline.core.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.faultline.core.safety.Recover;
import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.docker.Engines;
import dev.faultline.core.helper.Helpers;
import dev.faultline.core.target.ComposeStack;
import dev.faultline.core.testing.DemoStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** PostgreSQL connection exhaustion and the Gunicorn worker kill on the real demo stack (resilient configuration). */
class DemoStackMoreFaultsIT {

    @RegisterExtension
    static final DemoStack demo = DemoStack.resilient("fl-morefaults-demo");

    final Engine engine = Engines.docker();
    final String runId = "fl-morefaults-demo-" + UUID.randomUUID().toString().substring(0, 8);
    final FaultContext context = new FaultContext(engine, ComposeStack.named(engine, demo.project()), runId);

    @AfterEach
    void cleanUp() {
        Recover.run(engine, runId);
    }

    ContainerInfo service(String name) {
        return context.targets().containers(name).get(0);
    }

    /** A new connection as the demo's application user, straight from the JVM (credentials from demo/docker-compose.yml). */
    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + PostgresConnectionsFault.address(service("db")) + ":5432/demo",
                "demo", "demo");
    }

    @Test
    void exhaustedConnectionsRefuseNewOnesUntilReverted() throws Exception {
        try (Connection ok = connect()) {
            assertThat(ok.isValid(2)).isTrue();
        }
        Injection exhaust = PostgresConnectionsFault.of("db", DatabaseLogin.of("demo", "demo", "demo")).lasting(Duration.ofMinutes(2)).inject(context);
        try {
            LoggerFactory.getLogger(DemoStackMoreFaultsIT.class).info("{}", exhaust.mechanism());
            assertThat(exhaust.mechanism()).startsWith("holding ").contains("the next one was refused (SQLSTATE 53300")
                    .doesNotContain("password");
            // the fault takes slots others free every 100 ms; a new connection may slip into one in between, so retry
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                SQLException refused = catchThrowableOfType(SQLException.class, () -> connect().close());
                assertThat((Throwable) refused).as("a new connection while exhausted").isNotNull();
                assertThat(refused.getSQLState()).isEqualTo("53300");
                // the demo's user is not a superuser: the last free slots are reserved, so it hears that rather than "too many clients"
                assertThat(refused.getMessage()).containsAnyOf("too many clients", "remaining connection slots are reserved");
            });
            int refusedOfTen = 0;
            for (int i = 0; i < 10; i++) {
                SQLException e = catchThrowableOfType(SQLException.class, () -> connect().close());
                refusedOfTen += e != null && "53300".equals(e.getSQLState()) ? 1 : 0;
            }
            assertThat(refusedOfTen).as("new connections refused of 10 tried while exhausted").isGreaterThanOrEqualTo(8);
        } finally {
            exhaust.close();
        }
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            try (Connection again = connect()) {
                assertThat(again.isValid(2)).isTrue();
            }
        });
    }

    Set<String> gunicornPids() {
        var r = engine.exec(service("web").id(), List.of("sh", "-c", "pgrep -f gunicorn || for p in /proc/[0-9]*; do"
                + " tr '\\0' ' ' < $p/cmdline 2>/dev/null | grep -q gunicorn && echo ${p#/proc/}; done"), Duration.ofSeconds(10));
        return Arrays.stream(r.stdout().split("\\s+")).filter(s -> !s.isBlank()).collect(Collectors.toSet());
    }

    @Test
    void killingOneGunicornWorkerMakesTheMasterForkANewOne() {
        ContainerInfo before = service("web");
        Set<String> pids = gunicornPids();
        assertThat(pids).contains("1").hasSizeGreaterThan(1);

        Injection kill = SignalFault.gunicornWorker("web").inject(context);

        String killed = kill.mechanism().replaceFirst("^SIGKILL to PID\\(s\\) (\\d+)\\(.*$", "$1");
        assertThat(pids).contains(killed);
        assertThat(killed).isNotEqualTo("1");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Set<String> now = gunicornPids();
            assertThat(now).contains("1").doesNotContain(killed).hasSameSizeAs(pids);
            assertThat(now).as("a new worker PID").isNotEqualTo(pids);
        });
        ContainerInfo after = service("web");
        assertThat(after.restartCount()).isEqualTo(before.restartCount());
        assertThat(after.startedAt()).isEqualTo(before.startedAt());
        assertThat(engine.containers(Map.of(Helpers.RUN_ID, runId), true)).isEmpty();
    }
}
