package dev.faultline.core.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.faultline.core.safety.Recover;
import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.docker.Engines;
import dev.faultline.core.helper.Helpers;
import dev.faultline.core.target.ComposeStack;
import dev.faultline.core.testing.DemoStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** The faults on the real demo stack (Nginx -> Gunicorn/Django -> PostgreSQL, resilient configuration). */
class DemoStackFaultsIT {

    @RegisterExtension
    static final DemoStack demo = DemoStack.resilient("fl-faults-demo");

    /** Median of 5 {@code SELECT 1} round trips on a connection opened now, in microseconds. */
    static final String QUERY_TIMER = String.join("\n",
            "import os, time, statistics, psycopg2",
            "c = psycopg2.connect(host='db', dbname='demo', user='demo', password='demo')",
            "cur = c.cursor()",
            "ts = []",
            "for _ in range(5):",
            "    t0 = time.perf_counter(); cur.execute('select 1'); cur.fetchone(); ts.append(time.perf_counter() - t0)",
            "print(int(statistics.median(ts) * 1e6))");

    final Engine engine = Engines.docker();
    final String runId = "fl-faults-demo-" + UUID.randomUUID().toString().substring(0, 8);
    final FaultContext context = new FaultContext(engine, ComposeStack.named(engine, demo.project()), runId);

    @AfterEach
    void cleanUp() {
        Recover.run(engine, runId);
    }

    ContainerInfo web() {
        return context.targets().containers("web").get(0);
    }

    int health() throws Exception {
        HttpResponse<Void> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
                .send(HttpRequest.newBuilder(URI.create(demo.healthUrl())).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
        return r.statusCode();
    }

    long queryMicros() {
        var r = engine.exec(web().id(), List.of("python3", "-c", QUERY_TIMER), Duration.ofSeconds(60));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return Long.parseLong(r.stdout().strip());
    }

    @Test
    void crashingGunicornsMasterIsRestartedByDocker() {
        ContainerInfo before = web();
        Injection crash = CrashFault.of("web").inject(context);
        assertThat(crash.mechanism()).contains("restart policy 'unless-stopped' (it restarts)");
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> {
            assertThat(web().restartCount()).isGreaterThan(before.restartCount());
            assertThat(health()).isEqualTo(200);
        });
    }

    @Test
    void oneGunicornWorkerCanBeTerminatedWithoutTheMaster() throws Exception {
        ContainerInfo before = web();
        Injection signal = SignalFault.of("web", Signal.TERM, "gunicorn").sparePid1().inject(context);
        assertThat(signal.mechanism()).startsWith("SIGTERM to PID(s) ").contains("gunicorn").doesNotContain(" 1(");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> health() == 200);
        assertThat(web().restartCount()).isEqualTo(before.restartCount());
    }

    @Test
    void queriesFromWebToDbTakeTheInjectedLatencyLonger() {
        long baseline = queryMicros();
        Duration latency = Duration.ofMillis(100);
        Injection injection = NetworkLatencyFault.of("web", "db", 5432, latency).lasting(Duration.ofMinutes(3)).inject(context);
        long injected;
        try {
            injected = queryMicros();
        } finally {
            injection.close();
        }
        long after = queryMicros();
        LoggerFactory.getLogger(DemoStackFaultsIT.class).info("SELECT 1 median: baseline {} us, injected {} us, after revert {} us",
                baseline, injected, after);
        assertThat((double) (injected - baseline)).isCloseTo(100_000.0, within(10_000.0));
        assertThat((double) after).isCloseTo(baseline, within(20_000.0));
        assertThat(engine.containers(Map.of(Helpers.RUN_ID, runId), true)).isEmpty();
    }
}
