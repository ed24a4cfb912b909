package dev.faultline.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.core.experiment.Observation;
import dev.faultline.core.probe.ErrorClass;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    @Test
    void countsCallsAndErrorsPerSecondAndFinishesWithTheOutcome() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine p = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        p.phaseStarted(SampleRun.experiment(), "crash-web-1", "inject and observe");
        for (int i = 0; i < 10; i++) {
            p.observed(new Observation(Instant.now(), Observation.Source.LOAD, i >= 3, Duration.ofMillis(5),
                    i >= 3 ? ErrorClass.NONE : ErrorClass.HTTP_502, ""));
        }
        p.observed(new Observation(Instant.now(), Observation.Source.READINESS, false, Duration.ZERO, ErrorClass.REFUSED, ""));

        String line = p.line();
        assertThat(line).startsWith("crash-web  inject and observe").contains("  10/s    3 errors/s  (total 10 calls, 3 failed)");
        assertThat(p.line()).contains("   0/s    0 errors/s  (total 10 calls, 3 failed)");

        p.finished(SampleRun.experiment(), SampleRun.result());
        assertThat(bytes.toString(StandardCharsets.UTF_8)).endsWith("crash-web: FAILED after 20 s, 10 calls, 3 failed\n")
                .doesNotContain("\r");
    }
}
