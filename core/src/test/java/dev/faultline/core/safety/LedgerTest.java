package dev.faultline.core.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {

    @TempDir
    Path dir;

    @Test
    void anIntentStaysOpenUntilRevertedAndCarriesHowToUndoIt() throws Exception {
        Ledger ledger = Ledger.create(dir, "run/1");
        long pause = ledger.intent("pause", "abc", "shop-web-1", Undo.unpause("abc", "shop-web-1"));
        ledger.confirmed(pause, null);
        long quota = ledger.intent("cpu-quota", "abc", "shop-web-1", Undo.restoreCpuQuota("abc", "shop-web-1", 0, 100_000));
        long helper = ledger.intent("cpu-stress", "abc", "shop-web-1", Undo.removeHelper("faultline-h", "faultline-h"));
        ledger.confirmed(helper, "0123456789ab");
        ledger.reverted(pause, "revert");

        assertThat(ledger.file()).isEqualTo(dir.resolve("run-1.jsonl"));
        Ledger.Run run = Ledger.read(ledger.file());
        assertThat(run.runId()).isEqualTo("run/1");
        assertThat(run.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(run.jvmAlive()).isTrue();
        assertThat(run.ended()).isFalse();
        assertThat(run.open()).extracting(Ledger.Entry::seq).containsExactly(quota, helper);
        assertThat(run.open().get(0).confirmed()).isFalse(); // a crash between intent and change still leaves it to undo
        assertThat(run.open().get(1).undo().containerId()).isEqualTo("0123456789ab"); // the id the engine gave
        assertThat(run.open().get(0).undo().describe()).isEqualTo("restore no CPU limit on shop-web-1");

        String first = Files.readAllLines(ledger.file()).get(1);
        assertThat(first).contains("\"type\":\"intent\"", "\"runId\":\"run/1\"", "\"pid\":" + ProcessHandle.current().pid(),
                "\"fault\":\"pause\"", "\"targetId\":\"abc\"", "\"targetName\":\"shop-web-1\"", "\"action\":\"unpause\"");

        ledger.end();
        assertThat(ledger.file()).as("something is open: left where the next run reads it").isEqualTo(dir.resolve("run-1.jsonl"));
        assertThat(Ledger.read(ledger.file()).ended()).isTrue();
        assertThat(Ledger.readAll(dir)).extracting(Ledger.Run::runId).containsExactly("run/1");
    }

    @Test
    void aRunThatEndsWithNothingOpenMovesItsLedgerToHistory() {
        Ledger ledger = Ledger.create(dir, "clean");
        long pause = ledger.intent("pause", "abc", "web", Undo.unpause("abc", "web"));
        ledger.confirmed(pause, null);
        ledger.reverted(pause, "revert");
        ledger.end();

        assertThat(ledger.file()).isEqualTo(dir.resolve(Ledger.ENDED).resolve("clean.jsonl"));
        assertThat(dir.resolve("clean.jsonl")).doesNotExist();
        assertThat(Ledger.read(ledger.file())).satisfies(run -> {
            assertThat(run.ended()).isTrue();
            assertThat(run.open()).isEmpty();
        });
        assertThat(Ledger.readAll(dir)).as("what a run's start reads").isEmpty();
    }

    @Test
    void anEndedLedgerNeverReplacesAnotherInHistory() throws Exception {
        Path earlier = Files.createDirectories(dir.resolve(Ledger.ENDED)).resolve("same.jsonl");
        Files.writeString(earlier, "{\"type\":\"end\"}\n");
        Ledger ledger = Ledger.create(dir, "same");
        ledger.end();

        assertThat(ledger.file()).as("left where it was").isEqualTo(dir.resolve("same.jsonl"));
        assertThat(Files.readString(earlier)).isEqualTo("{\"type\":\"end\"}\n");
    }

    @Test
    void aTornLastLineFromADyingJvmIsSkipped() throws Exception {
        Ledger ledger = Ledger.create(dir, "torn");
        ledger.intent("pause", "abc", "web", Undo.unpause("abc", "web"));
        Files.writeString(ledger.file(), "{\"type\":\"reverted\",\"se", StandardOpenOption.APPEND);
        assertThat(Ledger.read(ledger.file()).open()).hasSize(1);
        assertThat(Ledger.readAll(dir)).hasSize(1);
        assertThat(Ledger.readAll(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void aPidThatIsNotThisJvmIsNotAlive() {
        Ledger.Run other = new Ledger.Run(dir, "x", ProcessHandle.current().pid(), "1", false, java.util.List.of());
        assertThat(other.jvmAlive()).isFalse(); // same pid, another start time: a reused pid
    }

    @Test
    void theFolderComesFromThePropertyThenXdgThenHome() {
        String before = System.getProperty(Ledger.DIR_PROPERTY);
        try {
            System.setProperty(Ledger.DIR_PROPERTY, dir.toString());
            assertThat(Ledger.directory()).isEqualTo(dir);
            System.clearProperty(Ledger.DIR_PROPERTY);
            assertThat(Ledger.directory().toString()).endsWith("faultline");
        } finally {
            if (before != null) {
                System.setProperty(Ledger.DIR_PROPERTY, before);
            }
        }
    }

    @Test
    void aBlankRunIdIsRefused() {
        assertThatThrownBy(() -> Ledger.create(dir, " ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("runId must be non-blank, got ' '");
    }
}
