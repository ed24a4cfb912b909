package dev.faultline.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.docker.Engines;
import dev.faultline.core.experiment.Expectation;
import dev.faultline.core.experiment.Experiment;
import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.experiment.ExperimentRunner;
import dev.faultline.core.experiment.FaultStep;
import dev.faultline.core.fault.StopFault;
import dev.faultline.core.notify.Notifier;
import dev.faultline.core.probe.HttpProbe;
import dev.faultline.core.safety.Recover;
import dev.faultline.core.steadystate.SteadyState;
import dev.faultline.core.target.ComposeStack;
import dev.faultline.core.testing.DemoStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Error visibility asks whether the service that failed users logged its failure. The database is
 * stopped for a few seconds while the shop page (which reads it) is checked: web answers 500s.
 * The demo's Django logs each one (django.request); the silent stack's does not, and the answer
 * must be NO, naming web, although PostgreSQL logs its own shutdown and nginx logs every 500.
 */
class ErrorVisibilityIT {

    @TempDir
    Path dir;

    private Journal runDbStop(DemoStack demo, String name) {
        Engine engine = Engines.docker();
        ComposeStack stack = ComposeStack.named(engine, demo.project());
        Experiment experiment = Experiment.named(name)
                .steadyState(SteadyState.of(HttpProbe.get(demo.baseUrl() + "/").status(200).timeout(Duration.ofSeconds(3))))
                .sampleInterval(Duration.ofMillis(200))
                .fault(FaultStep.at(StopFault.of("db").timeout(Duration.ofSeconds(2)), Duration.ofSeconds(2),
                        Duration.ofSeconds(4)))
                .expect(Expectation.recoveredWithin(Duration.ofSeconds(60)))
                .build();
        ReportWriter reports = ReportWriter.to(engine, stack, dir.resolve(name)).withNotifier(Notifier.none());
        ExperimentResult result = new ExperimentRunner(engine, stack).withListener(reports).run(experiment);
        try {
            Journal j = Reports.read(reports.folders().get(0).resolve("journal.json"));
            assertThat(j.traffic().errorsByClass()).as(result.table()).containsKey("500");
            return j;
        } finally {
            Recover.run(engine, result.runId());
        }
    }

    private static Optional<Journal.OriginEntry> origin(Journal j, String service) {
        return j.logs().origins().stream().filter(o -> o.service().equals(service)).findFirst();
    }

    @Test
    void anAppThatLogsNothingAboutIts500sIsNotVisibleAndIsNamed() throws Exception {
        try (DemoStack silent = DemoStack.silent("fl-vis-silent").start()) {
            Journal j = runDbStop(silent, "db-stop-silent");

            assertThat(j.logs().visibility()).as(j.logs().sentence()).isEqualTo("NOT_VISIBLE");
            assertThat(origin(j, "web")).get().satisfies(o -> {
                assertThat(o.logged()).isFalse();
                assertThat(o.answer()).matches("web answered \\d+ × 500.* and logged nothing in the window: NO — .*"
                        + "a logger for django.request.*");
            });
            assertThat(j.logs().sentence()).startsWith("No: ");
        }
    }

    @Test
    void theDemosDjangoLogsIts500sAndIsVisible() throws Exception {
        try (DemoStack demo = DemoStack.resilient("fl-vis-demo").start()) {
            Journal j = runDbStop(demo, "db-stop-demo");

            assertThat(origin(j, "web")).get().satisfies(o -> assertThat(o.logged()).as(o.answer()).isTrue());
            assertThat(j.logs().visibility()).as(j.logs().sentence()).isEqualTo("VISIBLE");
        }
    }
}
