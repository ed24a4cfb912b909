package dev.faultline.core.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.experiment.Expectation;
import dev.faultline.core.experiment.Experiment;
import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.experiment.ExperimentRunner;
import dev.faultline.core.experiment.FaultStep;
import dev.faultline.core.experiment.Outcome;
import dev.faultline.core.probe.TcpProbe;
import dev.faultline.core.safety.Recover;
import dev.faultline.core.steadystate.SteadyState;
import dev.faultline.core.testing.DemoStack;
import dev.faultline.core.testing.DockerCli;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connection exhaustion measures its effect (issue #11): slots held. On a small PostgreSQL of its own
 * (the demo's db image, {@code max_connections} 8, data on tmpfs, so it starts in seconds) the fault
 * bites: it holds every slot the app's role may use and the app's new connections are refused; and it
 * misses, holding none, when nothing listens on the port it was given or the server was full before it.
 */
class PostgresConnectionsFaultIT {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresConnectionsFaultIT.class);
    static final String IMAGE = "faultline-demo/db:latest";
    static final int MAX_CONNECTIONS = 8;
    static final int UNUSED_PORT = 5433;

    ItStack stack;
    ContainerInfo db;

    @BeforeEach
    void stack() {
        ensureImage();
        stack = new ItStack("pg");
        db = stack.service("db", List.of("--restart", "no", "--tmpfs", "/var/lib/postgresql/data"), IMAGE,
                "-c", "max_connections=" + MAX_CONNECTIONS);
        // the entrypoint listens on TCP only once the cluster is set up
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            try (Connection c = connect()) {
                return c.isValid(2);
            }
        });
    }

    @AfterEach
    void cleanUp() {
        stack.close();
    }

    /** The demo db image, built by the demo's own script when missing (fast when Docker's cache has it). */
    static void ensureImage() {
        try {
            DockerCli.run("image", "inspect", IMAGE);
        } catch (IllegalStateException missing) {
            try {
                Process p = new ProcessBuilder(DemoStack.repoRoot().resolve("demo/images.sh").toString()).inheritIO().start();
                assertThat(p.waitFor(600, TimeUnit.SECONDS) && p.exitValue() == 0).as("demo/images.sh built " + IMAGE).isTrue();
            } catch (IOException e) {
                throw new IllegalStateException("demo/images.sh could not start", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted building " + IMAGE, e);
            }
        }
    }

    /** A new connection as the app would open it: the demo's role (not a superuser; credentials from the image). */
    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + PostgresConnectionsFault.address(db) + ":5432/demo", "demo", "demo");
    }

    /** The slots a role that is not a superuser may take: max_connections less those reserved. */
    int slotsForTheApp() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            int max = show(s, "max_connections");
            int reserved = show(s, "superuser_reserved_connections") + show(s, "reserved_connections");
            assertThat(max).isEqualTo(MAX_CONNECTIONS);
            return max - reserved;
        }
    }

    static int show(Statement s, String setting) throws SQLException {
        try (ResultSet r = s.executeQuery("SHOW " + setting)) {
            r.next();
            return Integer.parseInt(r.getString(1).strip());
        }
    }

    static PostgresConnectionsFault exhaust() {
        return PostgresConnectionsFault.of("db", DatabaseLogin.of("demo", "demo", "demo")).lasting(Duration.ofMinutes(2));
    }

    @Test
    void itHoldsEverySlotTheAppMayUseAndTheAppIsRefused() throws SQLException {
        int slots = slotsForTheApp();
        Injection injection = exhaust().inject(stack.context);
        try {
            // the probe connection's slot is freed when its backend exits; the fault's top-up takes it then
            await().atMost(Duration.ofSeconds(10)).until(() -> injection.effect().value("slots held").orElse(-1L) == slots);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                SQLException refused = catchThrowableOfType(SQLException.class, () -> connect().close());
                assertThat((Throwable) refused).as("the app's new connection while exhausted").isNotNull();
                assertThat(refused.getSQLState()).isEqualTo("53300");
            });
        } finally {
            injection.close();
        }
        Effect bit = injection.effect();
        LOG.info("effect: {}", bit.line());
        assertThat(bit.bit()).as(bit.line()).isTrue();
        assertThat(bit.value("slots held")).contains((long) slots);
        assertThat(bit.value("max_connections")).contains((long) MAX_CONNECTIONS);
        assertThat(bit.summary()).contains("the server refused the next one (full)");
        // reverted: the app connects again
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (Connection again = connect()) {
                return again.isValid(2);
            }
        });
    }

    @Test
    void aimedAtAPortNothingListensOnItHoldsNoSlot() {
        Injection injection = exhaust().port(UNUSED_PORT).inject(stack.context);
        injection.close();
        Effect none = injection.effect();
        LOG.info("effect: {}", none.line());
        assertThat(none.none()).as(none.line()).isTrue();
        assertThat(none.value("slots held")).contains(0L);
        assertThat(none.cause().orElseThrow()).contains("(SQLSTATE 08001: ").endsWith("no PostgreSQL listens on port " + UNUSED_PORT + " there");
        assertThat(injection.mechanism()).startsWith("nothing held: nothing accepted a connection at " + db.name());
    }

    @Test
    void onAServerAlreadyFullItHoldsNoSlot() throws SQLException {
        int slots = slotsForTheApp();
        List<Connection> others = new ArrayList<>();
        try {
            // another client took every slot first; its connections may need a moment while the probe's slot is freed
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                others.add(connect());
                return others.size() == slots;
            });
            Injection injection = exhaust().inject(stack.context);
            injection.close();
            Effect none = injection.effect();
            LOG.info("effect: {}", none.line());
            assertThat(none.none()).as(none.line()).isTrue();
            assertThat(none.value("slots held")).contains(0L);
            assertThat(none.cause().orElseThrow()).startsWith("the server was already full before the fault (SQLSTATE 53300: ")
                    .endsWith("other clients held every slot open to demo");
        } finally {
            for (Connection c : others) {
                c.close();
            }
        }
    }

    /**
     * End to end, through the runner: a run whose faults reached nothing (a signal whose pattern matches no
     * process, an exhaustion aimed at a port nothing uses) is INCONCLUSIVE, never HELD, and its reason
     * names each fault, the counter that stayed at zero and the likely cause.
     */
    @Test
    void aRunWhoseFaultsReachedNothingIsInconclusiveAndSaysWhy() {
        Experiment experiment = Experiment.named("missed-" + stack.runId)
                .steadyState(SteadyState.of(TcpProbe.connect(PostgresConnectionsFault.address(db), 5432)))
                .sampleInterval(Duration.ofMillis(200))
                .fault(FaultStep.at(SignalFault.of("db", Signal.TERM, "^no-such-process"), Duration.ZERO))
                .fault(FaultStep.at(exhaust().port(UNUSED_PORT), Duration.ZERO, Duration.ofSeconds(1)))
                .expect(Expectation.recoveredWithin(Duration.ofSeconds(30)))
                .build();
        ExperimentResult result = new ExperimentRunner(stack.engine, stack.context.targets()).run(experiment);
        try {
            LOG.info("{}", result.table());
            assertThat(result.outcome()).as(result.table()).isEqualTo(Outcome.INCONCLUSIVE);
            assertThat(result.reason()).as(result.table())
                    .contains("'SIGTERM to one process matching '^no-such-process' in db' had no effect: SIGTERM reached no process in "
                            + db.name() + ": 0 processes matched '^no-such-process'; likely cause: no process in " + db.name()
                            + " matches '^no-such-process'; what runs there: postgres (PID 1)")
                    .contains("had no effect: pg-connections " + db.name() + ": 0 connection slot(s) held; likely cause: nothing"
                            + " accepted a connection at " + db.name())
                    .contains("no PostgreSQL listens on port " + UNUSED_PORT + " there")
                    .contains("(the expectations held, but say nothing about a fault that reached nothing)");
        } finally {
            Recover.run(stack.engine, result.runId());
        }
    }
}
