package dev.faultline.core.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.experiment.Experiment;
import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.experiment.ExperimentRunner;
import dev.faultline.core.experiment.FaultRecord;
import dev.faultline.core.experiment.FaultStep;
import dev.faultline.core.helper.Helpers;
import dev.faultline.core.safety.Ledger;
import dev.faultline.core.safety.Recover;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A memory stress as users run it: through {@link ExperimentRunner}, whose safety guard hands the fault an
 * engine that records each change in the run's ledger. {@link MemoryStressFaultIT} and {@link FaultEffectsIT}
 * inject with a raw context and cannot see what that guard does to the fault's engine calls.
 */
class MemoryStressRunIT {

    ItStack stack;
    @TempDir
    Path ledgers;
    String previousDir;

    @BeforeEach
    void stack() {
        stack = new ItStack("mem-run");
        previousDir = System.setProperty(Ledger.DIR_PROPERTY, ledgers.toString());
    }

    @AfterEach
    void cleanUp() {
        if (previousDir == null) {
            System.clearProperty(Ledger.DIR_PROPERTY);
        } else {
            System.setProperty(Ledger.DIR_PROPERTY, previousDir);
        }
        stack.close();
    }

    @Test
    void aRunStressesATargetWithAMemoryLimitAndLeavesTheLimitAlone() {
        ContainerInfo web = stack.service("web", List.of("--restart", "no", "--memory", "96m"), ItStack.BASE, "sleep", "infinity");

        FaultRecord fault = run(MemoryStressFault.of("web", 32L << 20, Duration.ofSeconds(30)));

        assertThat(fault.mechanism()).contains("charged to its memory limit of 96 MiB");
        assertThat(stack.engine.memoryLimit(web.id())).isEqualTo(96L << 20);
    }

    @Test
    void aRunGivesATargetWithoutALimitATemporaryOneAndTakesItBack() {
        ContainerInfo web = stack.service("web", "no", ItStack.BASE, "sleep", "infinity");
        assertThat(stack.engine.memoryLimit(web.id())).isZero();

        FaultRecord fault = run(MemoryStressFault.of("web", 32L << 20, Duration.ofSeconds(30)).withTemporaryLimit(96L << 20));

        assertThat(fault.mechanism()).contains("a temporary memory limit of 96 MiB set through the API");
        assertThat(stack.engine.memoryLimit(web.id())).isZero();
    }

    /** Runs the fault for 4 s and returns its record: injected, bit, reverted, nothing left open or running. */
    private FaultRecord run(MemoryStressFault stress) {
        Experiment experiment = Experiment.named("memory-stress-run")
                .fault(FaultStep.at(stress, Duration.ZERO, Duration.ofSeconds(4)))
                .recoveryWindow(Duration.ofSeconds(1))
                .build();
        ExperimentResult result = new ExperimentRunner(stack.engine, stack.context.targets()).run(experiment);
        try {
            assertThat(result.faults()).hasSize(1);
            FaultRecord fault = result.faults().get(0);
            assertThat(fault.error()).as(result.table()).isEmpty();
            assertThat(fault.injectedAt()).as(result.table()).isPresent();
            assertThat(fault.revertedAt()).as(result.table()).isPresent();
            assertThat(fault.effect().bit()).as(fault.effect().line()).isTrue();
            assertThat(fault.effect().value("bytes held").orElseThrow()).as(fault.effect().line()).isGreaterThanOrEqualTo(16L << 20);
            // a ledger moves to ended/ only with nothing open; one left in the folder would be the next run's work
            assertThat(Ledger.readAll(ledgers)).as("ledgers left open").isEmpty();
            assertThat(Ledger.readAll(ledgers.resolve(Ledger.ENDED))).singleElement().satisfies(run ->
                    assertThat(run.open()).as("open ledger entries of " + run.runId()).isEmpty());
            assertThat(stack.engine.containers(Map.of(Helpers.RUN_ID, result.runId()), true)).as("helpers and reaper").isEmpty();
            return fault;
        } finally {
            Recover.run(stack.engine, result.runId());
        }
    }
}
