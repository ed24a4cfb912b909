package dev.faultline.core.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ExecResult;
import dev.faultline.core.testing.FakeEngine;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Memory stress, disk fill, PostgreSQL connection exhaustion and the Gunicorn worker kill on the fake engine. */
class ResourceFaultsTest {

    static final String CGROUP_V1 = "4:memory:/docker/abc\n3:cpu,cpuacct:/docker/abc\n0::/docker/abc\n";

    final FakeEngine engine = new FakeEngine();
    final ContainerInfo web = FakeEngine.container("shop", "web", 1);
    final FaultContext context = new FaultContext(engine, new FakeTargets(engine, "shop"), "run1");

    ResourceFaultsTest() {
        engine.add(web).onExec((id, cmd) -> cmd.equals(List.of("cat", "/proc/1/cgroup")) ? new ExecResult(0, CGROUP_V1, "")
                : new ExecResult(0, "", ""));
    }

    List<String> actions() {
        return engine.calls().stream().filter(c -> c.startsWith("run ") || c.startsWith("update") || c.startsWith("remove")).toList();
    }

    @Test
    void memoryStressRefusesATargetWithoutALimitAndTouchesNothing() {
        assertThatThrownBy(() -> MemoryStressFault.of("web", 32L << 20, Duration.ofSeconds(10)).inject(context))
                .isInstanceOf(FaultException.class)
                .hasMessage("memory-stress shop_web_1: nothing done, the container has no memory limit, so a memory stress would only"
                        + " be bounded by the host's memory; give it one (Compose mem_limit) or use withTemporaryLimit(bytes)");
        assertThat(actions()).isEmpty();
    }

    @Test
    void memoryStressUnderATemporaryLimitRestoresNoLimitOnRevert() {
        Injection stress = MemoryStressFault.of("web", 32L << 20, Duration.ofSeconds(10)).withTemporaryLimit(128L << 20).inject(context);
        assertThat(stress.mechanism()).startsWith("stress-ng --vm holding 32 MiB for 10 s in helper faultline-run1-memory-stress-shop_web_1-")
                .contains("nested under shop_web_1's cgroup /docker/abc and charged to a temporary memory limit of 128 MiB");
        assertThat(engine.memoryLimit(web.id())).isEqualTo(128L << 20);
        stress.close();
        assertThat(engine.memoryLimit(web.id())).isZero();
        assertThat(actions()).hasSize(4);
        assertThat(actions().get(0)).isEqualTo("updateMemoryLimit " + web.id() + " " + (128L << 20));
        assertThat(actions().get(1)).contains("stress-ng, --vm, 1, --vm-keep, --vm-bytes, 33554432, --vm-hang, 0, --timeout, 10s");
        assertThat(actions().get(3)).isEqualTo("updateMemoryLimit " + web.id() + " 0");
    }

    @Test
    void memoryStressMustStayBelowTheLimitAndOomGoesPastIt() {
        engine.updateMemoryLimit(web.id(), 64L << 20);
        assertThatThrownBy(() -> MemoryStressFault.of("web", 64L << 20, Duration.ofSeconds(10)).inject(context))
                .hasMessage("memory-stress shop_web_1: nothing done, bytes 67108864 must stay below the memory limit 67108864"
                        + " (use MemoryStressFault.oom to go past it)");
        Injection oom = MemoryStressFault.oom("web").inject(context);
        assertThat(oom.mechanism()).contains("allocating 128 MiB (twice the limit) until the kernel kills the main process")
                .contains("charged to its memory limit of 64 MiB");
        assertThat(engine.calls()).anyMatch(c -> c.startsWith("run ") && c.contains("--vm-bytes 134217728"));
        oom.close();
        assertThat(engine.memoryLimit(web.id())).isEqualTo(64L << 20);
    }

    @Test
    void memoryStressRefusesCgroupV2() {
        engine.onExec((id, cmd) -> new ExecResult(0, "0::/\n", ""));
        engine.updateMemoryLimit(web.id(), 64L << 20);
        assertThatThrownBy(() -> MemoryStressFault.oom("web").inject(context))
                .hasMessageStartingWith("oom shop_web_1: nothing done, its cgroup is not a cgroup v1 path");
    }

    @Test
    void oomScriptsParse() throws Exception {
        List<String> oom = MemoryStressFault.oom("web").command(64L << 20);
        assertThat(NetworkScriptsTest.parse(oom.get(2))).isEqualTo("ok");
        assertThat(oom.get(2)).contains("echo 1000 > $d/oom_score_adj").contains("stress-ng --no-oom-adjust --oomable");
        assertThat(NetworkScriptsTest.parse(MemoryStressFault.restoreScoresScript())).isEqualTo("ok");
    }

    @Test
    void diskFillRunsInThePidNamespaceAndDeletesTheFileOnRevert() throws Exception {
        Injection fill = DiskFillFault.toPercent("web", "/var/lib/data", 90).inject(context);
        assertThat(engine.calls()).filteredOn(c -> c.startsWith("exec helper1")).first().asString()
                .contains("dir=/proc/1/root/var/lib/data").contains("want=$(( size * 90 / 100 - used ))")
                .contains("[ $want -gt 1073741824 ]").contains("fallocate -l $want");
        fill.close();
        assertThat(engine.calls()).filteredOn(c -> c.startsWith("exec helper1")).last().asString().contains("rm -f");
        String setup = DiskFillFault.bytes("web", "/tmp", 1000).setupScript(".faultline-fill-x");
        assertThat(NetworkScriptsTest.parse(setup)).isEqualTo("ok");
        assertThat(setup).contains("want=1000");
        assertThat(NetworkScriptsTest.parse(DiskFillFault.cleanupScript())).isEqualTo("ok");
    }

    @Test
    void diskFillArgumentsAreChecked() {
        assertThatThrownBy(() -> DiskFillFault.toPercent("web", "/data", 0)).hasMessage("percent must be in [1, 100], got 0");
        assertThatThrownBy(() -> DiskFillFault.toPercent("web", "data", 50))
                .hasMessage("path must be an absolute path of letters, digits and _./@+- without '..', got 'data'");
        assertThatThrownBy(() -> DiskFillFault.toPercent("web", "/data/../etc", 50)).hasMessageContaining("without '..'");
        assertThatThrownBy(() -> DiskFillFault.toPercent("web", "/data; rm -rf /", 50)).hasMessageContaining("absolute path");
        assertThatThrownBy(() -> DiskFillFault.bytes("web", "/data", 0)).hasMessage("bytes must be in [1, 1099511627776], got 0");
        assertThatThrownBy(() -> DiskFillFault.bytes("web", "/data", 10).atMost(0))
                .hasMessage("maxBytes must be in [1, 1099511627776], got 0");
    }

    @Test
    void memoryArgumentsAreChecked() {
        assertThatThrownBy(() -> MemoryStressFault.of("web", 1000, Duration.ofSeconds(5)))
                .hasMessage("bytes must be in [1048576, 68719476736], got 1000");
        assertThatThrownBy(() -> MemoryStressFault.oom("web").withTemporaryLimit(1 << 20))
                .hasMessage("temporaryLimit must be 0 (none) or in [16777216, 68719476736], got 1048576");
        assertThatThrownBy(() -> MemoryStressFault.of("web", 1 << 20, Duration.ofMillis(500)))
                .hasMessage("duration must be in [PT1S, PT24H], got PT0.5S");
    }

    @Test
    void postgresPasswordNeverShowsAndAFailedConnectionTouchesNothing() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        ContainerInfo local = new ContainerInfo("db00000000000000001", "shop_db_1", "shop", "db", 1, "img", web.state(), web.health(),
                0, false, web.restartPolicy(), 0, List.of(), 1, web.startedAt(), null,
                Map.of("com.docker.compose.project", "shop", "com.docker.compose.service", "db"), Map.of("shop_default", "127.0.0.1"),
                0, 0);
        engine.add(local);
        PostgresConnectionsFault fault = PostgresConnectionsFault.of("db", DatabaseLogin.of("demo", "demo", "s3cret-pw")).port(closed);
        assertThat(fault.toString()).contains("password=***").doesNotContain("s3cret-pw");
        assertThat(fault.describe()).doesNotContain("s3cret-pw");
        // nothing listens there: the fault reached nothing (issue #11), its effect says so, and it touched nothing
        Injection missed = fault.inject(context);
        Effect none = missed.effect();
        assertThat(none.none()).as(none.line()).isTrue();
        assertThat(none.value("slots held")).contains(0L);
        assertThat(none.cause().orElseThrow()).startsWith("nothing accepted a connection at shop_db_1 (127.0.0.1:" + closed
                + ", database demo, user demo) (SQLSTATE 08001: ").endsWith("): no PostgreSQL listens on port " + closed + " there");
        assertThat(missed.mechanism() + none.line()).doesNotContain("s3cret-pw");
        missed.close();
    }

    @Test
    void postgresArgumentsAreChecked() {
        DatabaseLogin login = DatabaseLogin.of("demo", "demo", "pw");
        assertThatThrownBy(() -> PostgresConnectionsFault.of("db", login).port(0))
                .hasMessage("port must be in [1, 65535], got 0");
        assertThatThrownBy(() -> PostgresConnectionsFault.of("db", null)).hasMessage("login must be a DatabaseLogin, got null");
        assertThatThrownBy(() -> PostgresConnectionsFault.of("db", login).lasting(Duration.ofDays(2)))
                .hasMessage("duration must be in (0, PT24H], got PT48H");
    }

    @Test
    void gunicornWorkerIsOneNonPid1GunicornProcessKilled() {
        SignalFault worker = SignalFault.gunicornWorker("web");
        assertThat(worker.describe()).isEqualTo("SIGKILL to one process matching 'gunicorn' except PID 1 in web");
        assertThat(worker).isEqualTo(new SignalFault(Targeting.all("web"), Signal.KILL, "gunicorn", false, true));
    }

    @Test
    void aSignalThatMatchesNoProcessReachedNothingAndSaysWhatRunsThere() {
        String out = "spared:no\nprocess:1 nginx\nprocess:7 nginx\nprocess:8 nginx\nprocess:9 sleep\n";
        Effect none = SignalFault.of("web", Signal.TERM, "^gunicorn").noMatch(web, out);
        assertThat(none.none()).isTrue();
        assertThat(none.value("processes signalled")).contains(0L);
        assertThat(none.value("processes running")).contains(4L);
        assertThat(none.summary()).isEqualTo("SIGTERM reached no process in shop_web_1: 0 processes matched '^gunicorn'");
        assertThat(none.cause()).contains("no process in shop_web_1 matches '^gunicorn'; what runs there: nginx (PID 1), nginx \u00d72,"
                + " sleep (4 process(es))");

        Effect spared = SignalFault.gunicornWorker("web").noMatch(web, "spared:yes\nprocess:1 gunicorn\n" + "process:2 a\nprocess:3 b\n"
                + "process:4 c\nprocess:5 d\nprocess:6 e\nprocess:7 f\n");
        assertThat(spared.cause()).contains("no process in shop_web_1 matches 'gunicorn' except PID 1, which sparePid1 leaves out;"
                + " what runs there: gunicorn (PID 1), a, b, c, d, e, \u2026 (7 process(es))");
    }
}
