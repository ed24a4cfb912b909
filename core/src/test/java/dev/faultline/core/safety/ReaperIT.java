package dev.faultline.core.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.docker.Engines;
import dev.faultline.core.helper.Helpers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reaper's script against the real engine when the engine refuses an undo: that entry stays open in
 * the ledger, so that Recover still sees it, while what could be undone is undone and closed. The engine
 * refuses a CPU quota on a container started with {@code --cpus} (NanoCpus: "Conflicting options").
 * A stand-in process holds the lease, so that the test kills it and not itself (KillMatrixIT kills
 * whole JVMs, for every kind of fault, where every undo works).
 */
class ReaperIT {

    @TempDir
    Path ledgers;

    final Engine engine = Engines.docker();
    final ScopedContainers containers = new ScopedContainers("fl-safety-reaper");
    final String run = "fl-safety-reaper-" + containers.id;

    @AfterEach
    void cleanUp() {
        containers.removeAll(engine, Map.of(Helpers.RUN_ID, run));
    }

    String container(String name, String... options) {
        List<String> args = new java.util.ArrayList<>(List.of(options));
        args.addAll(List.of(KillMatrixIT.IMAGE, "sleep", "infinity"));
        return containers.run(name, args.toArray(String[]::new));
    }

    @Test
    void anUndoTheEngineRefusesStaysOpenAndTheOthersAreClosed() throws Exception {
        ContainerInfo capped = engine.inspect(container("capped", "--cpus", "0.5"));
        ContainerInfo plain = engine.inspect(container("plain"));
        KillMatrixIT.docker("update", "--cpu-quota", "20000", "--cpu-period", "100000", plain.id());
        Ledger ledger = Ledger.create(ledgers, run);
        long refused = ledger.intent("cpu", capped.id(), capped.name(), Undo.restoreCpuQuota(capped.id(), capped.name(), 50_000, 100_000));
        ledger.confirmed(refused, capped.id());
        long restored = ledger.intent("cpu", plain.id(), plain.name(), Undo.restoreCpuQuota(plain.id(), plain.name(), 0, 100_000));
        ledger.confirmed(restored, plain.id());

        Process standIn = new ProcessBuilder("sleep", "600").start();
        try {
            Reaper reaper = Reaper.start(engine, ledger, standIn.pid()).orElseThrow();
            standIn.destroyForcibly().waitFor();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Undoer.inspect(engine, reaper.id()).map(c -> !c.running()).orElse(true));
        } finally {
            standIn.destroyForcibly();
        }

        assertThat(engine.inspect(plain.id()).cpuQuota()).isLessThanOrEqualTo(0);
        assertThat(Ledger.read(ledger.file()).open()).extracting(Ledger.Entry::seq).containsExactly(refused);
    }
}
