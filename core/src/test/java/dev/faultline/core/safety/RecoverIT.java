package dev.faultline.core.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faultline.core.netfilter.RuleTag;
import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ContainerState;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.docker.Engines;
import dev.faultline.core.helper.HelperImage;
import dev.faultline.core.helper.HelperRequest;
import dev.faultline.core.helper.Helpers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recover against the real engine: what a dead run left (a paused container, a lowered CPU quota, a
 * temporary memory limit, a stopped container, a helper, a reaper, a DNAT rule) is undone once and reported one line each; a
 * live run's helper is left alone; a second call finds nothing. Scoped by a label of this test, so
 * it never touches what other tests on the shared engine are doing.
 */
class RecoverIT {

    @TempDir
    Path ledgers;

    final Engine engine = Engines.docker();
    final ScopedContainers containers = new ScopedContainers("fl-safety-recover");
    final String id = containers.id;
    final Map<String, String> scope = containers.scope();
    final String deadRun = "fl-safety-dead-" + id;
    final String liveRun = "fl-safety-live-" + id;

    @AfterEach
    void cleanUp() {
        containers.removeAll(engine);
    }

    @Test
    void undoesWhatADeadRunLeftOnceAndLeavesALiveRunAlone() throws Exception {
        String helperImage = HelperImage.fromSystemProperties().ensure(engine);
        String web = containers.run("web", KillMatrixIT.IMAGE, "sleep", "infinity");
        String db = containers.run("db", KillMatrixIT.IMAGE, "sleep", "infinity");
        String comment = RuleTag.ofRun(deadRun) + "latency-abcd";
        KillMatrixIT.docker("run", "--rm", "--network", "container:" + web, "--cap-add", "NET_ADMIN", helperImage, "iptables", "-t",
                "nat", "-A", "OUTPUT", "-p", "tcp", "-d", "10.255.255.1", "--dport", "9", "-m", "comment", "--comment", comment,
                "-j", "DNAT", "--to-destination", "127.0.0.1:9");
        KillMatrixIT.docker("update", "--cpu-quota", "20000", "--cpu-period", "100000", web);
        engine.updateMemoryLimit(web, 64L << 20);
        KillMatrixIT.docker("pause", web);
        KillMatrixIT.docker("stop", "-t", "0", db);
        containers.run("helper", "--label", Helpers.RUN_ID + "=" + deadRun, "--label", Helpers.ROLE + "=helper", KillMatrixIT.IMAGE,
                "sleep", "300");
        containers.run("reaper", "--label", Helpers.RUN_ID + "=" + deadRun, "--label", Helpers.ROLE + "=reaper", KillMatrixIT.IMAGE,
                "sleep", "300");
        containers.run("live-helper", "--label", Helpers.RUN_ID + "=" + liveRun, "--label", Helpers.ROLE + "=helper", KillMatrixIT.IMAGE,
                "sleep", "300");
        ContainerInfo w = engine.inspect(web);
        ContainerInfo d = engine.inspect(db);
        // the dead run's ledger: a JVM pid that does not exist; the changes as a run would have recorded them
        Files.writeString(ledgers.resolve(Ledger.fileName(deadRun)), String.join("\n",
                "{\"type\":\"run\",\"runId\":\"" + deadRun + "\",\"pid\":999999999,\"pidStart\":\"1\"}",
                intent(1, w, "restore-cpu-quota", 0, 100000, ""),
                "{\"type\":\"confirmed\",\"seq\":1}",
                intent(2, w, "unpause", 0, 0, ""),
                intent(3, d, "start", 0, 0, ""),
                intent(4, w, "delete-rules", 0, 0, RuleTag.ofRun(deadRun)),
                intent(5, w, "restore-memory-limit", 0, 0, ""),
                ""));
        Ledger.create(ledgers, liveRun); // this JVM: alive

        Recover.Report report = Recover.everything(engine, ledgers, scope);

        assertThat(report.failed()).isEmpty();
        assertThat(report.exitCode()).isZero();
        assertThat(report.done()).contains(
                "run " + deadRun + ": unpaused " + w.name(),
                "run " + deadRun + ": started " + d.name() + " (a fault had stopped it)",
                "run " + deadRun + ": restored no CPU limit on " + w.name() + " (was 20000 us per 100000 us)",
                "run " + deadRun + ": restored no memory limit on " + w.name() + " (was 64 MiB)",
                "run " + deadRun + ": deleted 1 netfilter rule(s) " + RuleTag.ofRun(deadRun) + "* in " + w.name(),
                "removed reaper " + containers.name("reaper") + " of run " + deadRun,
                "run " + deadRun + ": removed helper " + containers.name("helper") + " (? )".replace(" )", ")"));
        assertThat(report.leftAlone()).contains("run " + liveRun + ": its JVM still runs");
        ContainerInfo after = engine.inspect(web);
        assertThat(after.state()).isEqualTo(ContainerState.RUNNING);
        assertThat(after.cpuQuota()).isLessThanOrEqualTo(0);
        assertThat(engine.memoryLimit(web)).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.inspect(db).running());
        assertThat(engine.containers(Map.of(Helpers.RUN_ID, deadRun), true)).isEmpty();
        assertThat(engine.containers(Map.of(Helpers.RUN_ID, liveRun), true)).hasSize(1);
        Helpers.Finished rules = Helpers.on(engine).runToEnd(HelperRequest.of(deadRun + "-check", "check", after,
                        Duration.ofSeconds(30), List.of("sh", "-c", "iptables -t nat -S | grep -c faultline: ; exit 0"))
                .withNetworkMode("container:" + web).withCapAdd("NET_ADMIN"), Duration.ofSeconds(60));
        assertThat(rules.output().strip()).isEqualTo("0");

        Recover.Report again = Recover.everything(engine, ledgers, scope);
        assertThat(again.lines()).first().isEqualTo("nothing to recover");
        assertThat(again.exitCode()).isZero();
    }

    private static String intent(int seq, ContainerInfo c, String action, long quota, long period, String comment) {
        return "{\"type\":\"intent\",\"seq\":" + seq + ",\"runId\":\"x\",\"pid\":999999999,\"fault\":\"f\",\"targetId\":\"" + c.id()
                + "\",\"targetName\":\"" + c.name() + "\",\"undo\":{\"action\":\"" + action + "\",\"containerId\":\"" + c.id()
                + "\",\"containerName\":\"" + c.name() + "\",\"quota\":" + quota + ",\"period\":" + period + ",\"comment\":\""
                + comment + "\"}}";
    }
}
