package dev.faultline.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.docker.Engines;
import dev.faultline.core.experiment.Expectation;
import dev.faultline.core.experiment.Experiment;
import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.experiment.ExperimentRunner;
import dev.faultline.core.experiment.FaultStep;
import dev.faultline.core.experiment.Outcome;
import dev.faultline.core.fault.CrashFault;
import dev.faultline.core.safety.Recover;
import dev.faultline.core.notify.Notifier;
import dev.faultline.core.probe.ErrorClass;
import dev.faultline.core.probe.HttpProbe;
import dev.faultline.core.steadystate.SteadyState;
import dev.faultline.core.target.ComposeStack;
import dev.faultline.core.testing.DemoStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real run's folder: the fragile demo's web crashed (no restart policy), with the stack's own logs
 * captured for the window, analysed, and the checklist answered from them.
 */
class ReportOnDemoIT {

    @RegisterExtension
    static final DemoStack demo = DemoStack.fragile("fl-rep-it");

    @TempDir
    Path dir;

    private static String tail(Path file, int lines) {
        try {
            java.util.List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Test
    void crashedWebOnTheFragileDemoIsReportedWithItsLogsAndWhatToFix() throws Exception {
        Engine engine = Engines.docker();
        ComposeStack stack = ComposeStack.named(engine, demo.project());
        Experiment experiment = Experiment.named("crash-web-fragile")
                .steadyState(SteadyState.of(HttpProbe.get(demo.healthUrl()).status(200).timeout(Duration.ofSeconds(2))))
                .sampleInterval(Duration.ofMillis(200))
                .fault(FaultStep.at(CrashFault.of("web"), Duration.ofSeconds(2)))
                .expect(Expectation.recoveredWithin(Duration.ofSeconds(5)))
                .build();
        ReportWriter reports = ReportWriter.to(engine, stack, dir).withNotifier(Notifier.none());
        ExperimentResult result = new ExperimentRunner(engine, stack).withListener(reports).run(experiment);
        try {
            assertThat(result.outcome()).as(result.table()).isEqualTo(Outcome.FAILED);
            Path folder = reports.folders().get(0);
            Journal j = Reports.read(folder.resolve("journal.json"));

            assertThat(j.events()).extracting(Journal.EventEntry::action).contains("die");
            assertThat(j.targets()).filteredOn(t -> t.service().equals("web")).singleElement()
                    .satisfies(t -> assertThat(t.restartPolicy()).isEqualTo("no"));
            // Whether nginx logs the crash depends on timing: a connect to the dying container is
            // refused (logged), one to its vanished address hangs until the check times out (not
            // logged). Refused connects from the stack's own start, before the fault, never count.
            boolean errorSinceFault = j.logs().findings().stream().anyMatch(f -> f.kind().equals("ERROR")
                    && f.lastAfterFaultMs() != null && f.lastAfterFaultMs() >= 0);
            // Visible means every origin of the users' errors logged them. A check that timed out got no
            // answer at all and is charged to web, which was killed and logs nothing: then it is not
            // visible, whatever nginx logged meanwhile (a CI run had 30 timeouts and one refused connect).
            Instant fault = result.faults().get(0).injectedAt().orElseThrow();
            boolean unanswered = result.observations().stream()
                    .anyMatch(o -> !o.ok() && !o.time().isBefore(fault) && o.errorClass() == ErrorClass.TIMEOUT);
            // the evidence for a disagreement, so that a failure in CI explains itself: a run beside a CPU
            // hog had web "log 1 error line in the window" (a database connect error) after being killed
            assertThat(j.logs().visibility()).as(() -> j.logs().sentence() + "\nfault injected at " + fault
                            + "\nweb's log as the report captured it:\n" + tail(folder.resolve("logs/web.log"), 40))
                    .isEqualTo(errorSinceFault && !unanswered ? "VISIBLE" : "NOT_VISIBLE");
            assertThat(folder.resolve("logs/nginx.log")).content().contains("\"GET /health/ HTTP/1.1\" 200");
            assertThat(folder.resolve("logs/web.log")).isRegularFile();
            assertThat(folder.resolve("report.md")).content().contains("Set `restart: unless-stopped` on ")
                    .contains("| web | die (exit code 137) |");
            assertThat(Files.readString(folder.resolve("junit.xml"))).contains("<failure message=\"the steady state did not hold again");
            // kept under target/ for people to read (never committed)
            Path keep = Files.createDirectories(Path.of("target/demo-report"));
            for (String f : new String[] {"report.md", "report.html", "journal.json", "junit.xml"}) {
                Files.copy(folder.resolve(f), keep.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            // nothing of the run (helpers, ledger entries) may stay behind; the stack itself goes with DemoStack
            Recover.run(engine, result.runId());
        }
    }
}
