package dev.faultline.core.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.core.testing.FakeEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a new run reconciles first: the ledgers of runs whose JVM died. */
class RecoverDeadRunsTest {

    @TempDir
    Path dir;

    @Test
    void aDeadRunsLedgerIsUndoneOnceAndMarkedReverted() throws Exception {
        FakeEngine engine = new FakeEngine();
        var web = FakeEngine.container("shop", "web", 1);
        engine.add(FakeEngine.with(web, dev.faultline.core.engine.ContainerState.PAUSED, web.health(), web.restartPolicy(), 0,
                web.ports()));
        Files.writeString(dir.resolve("dead.jsonl"), String.join("\n",
                "{\"type\":\"run\",\"runId\":\"dead\",\"pid\":999999999,\"pidStart\":\"1\"}",
                "{\"type\":\"intent\",\"seq\":1,\"fault\":\"pause\",\"targetId\":\"" + web.id() + "\",\"targetName\":\"" + web.name()
                        + "\",\"undo\":{\"action\":\"unpause\",\"containerId\":\"" + web.id() + "\",\"containerName\":\""
                        + web.name() + "\",\"quota\":0,\"period\":0,\"comment\":\"\"}}",
                ""));
        // what a new run reconciles first (the full scan for rules needs real helpers: RecoverIT)
        Recover.Report report = Recover.deadRuns(engine, dir);
        assertThat(report.lines()).containsExactly("run dead: unpaused " + web.name());
        assertThat(report.exitCode()).isZero();
        assertThat(dir.resolve("dead.jsonl")).as("closed: moved to history").doesNotExist();
        assertThat(Ledger.read(dir.resolve(Ledger.ENDED).resolve("dead.jsonl")).open()).isEmpty();
        assertThat(Recover.deadRuns(engine, dir).lines()).containsExactly("nothing to recover");
    }

    @Test
    void aDeadRunsTemporaryMemoryLimitIsLiftedAgain() throws Exception {
        FakeEngine engine = new FakeEngine();
        var web = FakeEngine.container("shop", "web", 1);
        engine.add(web);
        engine.updateMemoryLimit(web.id(), 96L << 20);
        Files.writeString(dir.resolve("dead.jsonl"), String.join("\n",
                "{\"type\":\"run\",\"runId\":\"dead\",\"pid\":999999999,\"pidStart\":\"1\"}",
                "{\"type\":\"intent\",\"seq\":1,\"fault\":\"memory-stress\",\"targetId\":\"" + web.id() + "\",\"targetName\":\""
                        + web.name() + "\",\"undo\":{\"action\":\"restore-memory-limit\",\"containerId\":\"" + web.id()
                        + "\",\"containerName\":\"" + web.name() + "\",\"quota\":0,\"period\":0,\"comment\":\"\"}}",
                "{\"type\":\"confirmed\",\"seq\":1}",
                ""));
        assertThat(Recover.deadRuns(engine, dir).lines()).containsExactly("run dead: restored no memory limit on " + web.name()
                + " (was 96 MiB)");
        assertThat(engine.memoryLimit(web.id())).isZero();
        assertThat(dir.resolve("dead.jsonl")).as("closed: moved to history").doesNotExist();
        assertThat(Ledger.read(dir.resolve(Ledger.ENDED).resolve("dead.jsonl")).open()).isEmpty();
        assertThat(Recover.deadRuns(engine, dir).lines()).containsExactly("nothing to recover");
    }

    @Test
    void historyOverAWeekOldIsDeletedAndYoungerHistoryKept() throws Exception {
        Path ended = Files.createDirectories(dir.resolve(Ledger.ENDED));
        Path old = Files.writeString(ended.resolve("old.jsonl"), "{\"type\":\"end\"}\n");
        Path young = Files.writeString(ended.resolve("young.jsonl"), "{\"type\":\"end\"}\n");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(8))));
        Files.setLastModifiedTime(young, FileTime.from(Instant.now().minus(Duration.ofDays(6))));

        assertThat(Recover.deadRuns(new FakeEngine(), dir).lines()).containsExactly("nothing to recover");
        assertThat(old).doesNotExist();
        assertThat(young).exists();
    }
}
