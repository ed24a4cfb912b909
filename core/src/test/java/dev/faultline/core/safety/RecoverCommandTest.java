package dev.faultline.core.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.core.testing.FakeEngine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoverCommandTest {

    @TempDir
    Path dir;

    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @BeforeEach
    void useTempLedgers() {
        System.setProperty(Ledger.DIR_PROPERTY, dir.toString());
    }

    @AfterEach
    void restore() {
        System.clearProperty(Ledger.DIR_PROPERTY);
    }

    String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aCleanEngineHasNothingToRecover() {
        assertThat(RecoverCommand.run(FakeEngine::new, out)).isZero();
        assertThat(printed()).isEqualTo("nothing to recover" + System.lineSeparator());
    }

    @Test
    void noEngineIsExitCode2WithTheReason() {
        assertThat(RecoverCommand.run(() -> new FakeEngine().down(true), out)).isEqualTo(2);
        assertThat(printed()).startsWith("no engine: ping").contains("the fake engine is down");
    }

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
        assertThat(Ledger.read(dir.resolve("dead.jsonl")).open()).isEmpty();
        assertThat(Recover.deadRuns(engine, dir).lines()).containsExactly("nothing to recover");
    }
}
