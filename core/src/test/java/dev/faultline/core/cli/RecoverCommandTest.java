package dev.faultline.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.core.safety.Ledger;
import dev.faultline.core.testing.FakeEngine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
}
