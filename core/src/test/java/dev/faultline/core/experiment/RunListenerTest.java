package dev.faultline.core.experiment;

import static dev.faultline.core.experiment.Expectation.recoveredWithin;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.core.engine.ContainerState;
import dev.faultline.core.engine.RestartPolicy;
import dev.faultline.core.experiment.Fakes.FakeTargets;
import dev.faultline.core.experiment.Fakes.RecordingFault;
import dev.faultline.core.experiment.Fakes.StubEngine;
import dev.faultline.core.experiment.Fakes.SwitchProbe;
import dev.faultline.core.report.Journal;
import dev.faultline.core.report.ReportWriter;
import dev.faultline.core.report.Reports;
import dev.faultline.core.notify.Notifier;
import dev.faultline.core.steadystate.SteadyState;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's one hook: listeners hear phases, calls and the result; a failing listener changes nothing. */
class RunListenerTest {

    @TempDir
    Path dir;

    private final SwitchProbe probe = new SwitchProbe();
    private final FakeTargets targets = new FakeTargets()
            .with(Fakes.container("web", ContainerState.RUNNING, 0, new RestartPolicy("unless-stopped", 0)));

    private Experiment experiment() {
        RecordingFault crash = new RecordingFault("crash web", Fakes.newJournal());
        crash.onInject = () -> probe.healthy = false;
        crash.onRevert = () -> probe.healthy = true;
        return Experiment.named("listened").steadyState(SteadyState.of(probe)).sampleInterval(ofMillis(10))
                .healthyFor(ofMillis(100)).afterRecovery(ofMillis(50))
                .fault(FaultStep.at(crash, ofMillis(100), ofMillis(100)))
                .expect(recoveredWithin(ofSeconds(2))).build();
    }

    @Test
    void listenersHearPhasesObservationsAndTheResult() {
        List<String> phases = new CopyOnWriteArrayList<>();
        AtomicInteger observed = new AtomicInteger();
        List<ExperimentResult> finished = new CopyOnWriteArrayList<>();
        RunListener listener = new RunListener() {
            @Override
            public void phaseStarted(Experiment e, String runId, String phase) {
                phases.add(phase);
            }

            @Override
            public void observed(Observation o) {
                observed.incrementAndGet();
            }

            @Override
            public void finished(Experiment e, ExperimentResult r) {
                finished.add(r);
            }
        };
        RunListener broken = new RunListener() {
            @Override
            public void observed(Observation o) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void finished(Experiment e, ExperimentResult r) {
                throw new IllegalStateException("listener bug");
            }
        };

        ExperimentResult result = new ExperimentRunner(new StubEngine(), targets).withListener(broken)
                .withListener(listener).run(experiment());

        assertThat(result.outcome()).as(result.table()).isEqualTo(Outcome.HELD);
        assertThat(phases).containsExactly("steady-state check", "baseline", "inject and observe", "revert", "recovery");
        assertThat(observed.get()).isEqualTo(result.observations().size()).isPositive();
        assertThat(finished).containsExactly(result);
    }

    @Test
    void theReportWriterWritesTheRunsFolder() {
        ReportWriter reports = ReportWriter.to(new StubEngine(), targets, dir).withNotifier(Notifier.none());

        ExperimentResult result = new ExperimentRunner(new StubEngine(), targets).withListener(reports).run(experiment());

        assertThat(reports.folders()).singleElement().satisfies(folder -> {
            assertThat(folder).isEqualTo(Reports.defaultFolder(dir, result));
            Journal j = Reports.read(folder.resolve("journal.json"));
            assertThat(j.runId()).isEqualTo(result.runId());
            assertThat(j.outcome()).isEqualTo("HELD");
            assertThat(j.targets()).extracting(Journal.Target::service).containsExactly("web");
            assertThat(folder.resolve("report.md")).content().startsWith("# Chaos experiment: listened");
        });
    }
}
