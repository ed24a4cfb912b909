package dev.faultline.dsl;

import static dev.faultline.dsl.Chaos.at;
import static dev.faultline.dsl.Chaos.on;
import static dev.faultline.dsl.Expectations.recoveredWithin;
import static dev.faultline.dsl.Probes.health;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.faultline.core.fault.DatabaseLogin;
import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.experiment.Outcome;
import dev.faultline.core.testing.FakeEngine;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/** The network, resource and worker fault verbs: what they build, what they refuse, one run on the fake engine. */
class MoreFaultVerbsTest {

    @Test
    void eachVerbBuildsItsFault() {
        assertThat(on("web").dropPackets(0.2).describe()).startsWith("20% packet loss from web to anywhere");
        assertThat(on("web").dropPackets(0.05, "db", 5432).describe()).startsWith("5% packet loss from web to db:5432");
        assertThat(on("web").partitionFrom("db").describe()).startsWith("partition web <-> db (dropped both ways)");
        assertThat(on("web").blackhole("db", 5432).describe()).startsWith("blackhole db:5432/tcp for web");
        assertThat(on("web").limitBandwidth(1_000_000).describe()).startsWith("egress of web limited to 1 Mbit/s");
        assertThat(on("web").breakDns().describe()).startsWith("DNS failure in web (queries dropped)");
        assertThat(on("web").resetConnections("db", 5432).describe())
                .startsWith("reset on connections from web to db:5432 (resetting each connection");
        assertThat(on("web").hangConnections("db", 5432).describe()).startsWith("timeout on connections from web to db:5432");
        assertThat(on("db").exhaustConnections(DatabaseLogin.of("demo", "demo", "secret")).describe())
                .startsWith("exhaust PostgreSQL connections of db").doesNotContain("secret");
        assertThat(on("web").stressMemory(64L << 20).describe()).startsWith("64 MiB of memory held in web");
        assertThat(on("web").oomKill().describe()).startsWith("OOM kill in web");
        assertThat(on("db").fillDisk("/var/lib/postgresql/data", 95).describe())
                .startsWith("fill the filesystem of /var/lib/postgresql/data in db to 95% used");
        assertThat(on("web").killWorker().describe()).isEqualTo("SIGKILL to one process matching 'gunicorn' except PID 1 in web");
        assertThat(on("web").killWorkers().describe()).isEqualTo("SIGKILL to every process matching 'gunicorn' except PID 1 in web");
    }

    @Test
    void theFaultsDeadlineOutlivesThePlannedRevert() {
        assertThat(on("web").partitionFrom("db").lasting(ofSeconds(20)).describe()).contains("for at most 30 s");
    }

    @Test
    void badArgumentsAreRefusedAtOnce() {
        assertThatIllegalArgumentException().isThrownBy(() -> on("web").dropPackets(0))
                .withMessage("probability must be in (0, 1], got 0.0");
        assertThatIllegalArgumentException().isThrownBy(() -> on("web").dropPackets(0.1, "db", 0))
                .withMessage("port must be in [1, 65535], got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> on("web").partitionFrom("my db"))
                .withMessage("other must be a Compose service name (letters, digits, '_', '.', '-'; 1 to 63 characters), got 'my db'");
        assertThatIllegalArgumentException().isThrownBy(() -> on("web").limitBandwidth(10))
                .withMessage("bitsPerSecond must be in [8000, 10000000000], got 10");
        assertThatIllegalArgumentException().isThrownBy(() -> on("web").stressMemory(10))
                .withMessage("bytes must be in [1048576, 68719476736], got 10");
        assertThatIllegalArgumentException().isThrownBy(() -> on("db").fillDisk("relative", 50))
                .withMessageStartingWith("path must be an absolute path");
        assertThatIllegalArgumentException().isThrownBy(() -> on("db").exhaustConnections(null))
                .withMessage("login must be a DatabaseLogin, got null");
        assertThatIllegalArgumentException().isThrownBy(() -> on("web").killWorker().lasting(ofSeconds(5)))
                .withMessageStartingWith("duration cannot be set for 'SIGKILL to one process matching 'gunicorn'");
    }

    @Test
    void aPartitionRunsAndIsRevertedOnTheFakeEngine() throws Exception {
        FakeEngine engine = new FakeEngine().add(FakeEngine.container("shop", "web")).add(FakeEngine.container("shop", "db", 2));
        try (MockWebServer server = new MockWebServer()) {
            for (int i = 0; i < 1000; i++) {
                server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
            }
            server.start();
            Project shop = Chaos.project("shop").healthUrl(server.url("/health/").toString()).using(engine);
            ExperimentResult result = shop.experiment("partition")
                    .steadyState(health())
                    .fault(shop.on("web").partitionFrom("db"), at(ofMillis(100)), Chaos.lasting(ofMillis(300)))
                    .expect(recoveredWithin(ofSeconds(5)))
                    .afterRecovery(ofMillis(200))
                    .run();
            assertThat(result.outcome()).as(result.table()).isEqualTo(Outcome.HELD);
        }
        assertThat(engine.calls().stream().filter(c -> c.startsWith("run ")).count()).isEqualTo(2);
        assertThat(engine.calls()).anyMatch(c -> c.startsWith("exec helper1") && c.contains("-d 172.18.0.12 -m comment"))
                .anyMatch(c -> c.startsWith("exec helper2") && c.contains("-d 172.18.0.11 -m comment"))
                .anyMatch(c -> c.startsWith("remove helper1")).anyMatch(c -> c.startsWith("remove helper2"));
    }
}
