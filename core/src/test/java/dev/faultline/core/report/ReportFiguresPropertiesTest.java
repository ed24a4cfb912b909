package dev.faultline.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.core.experiment.Recovery;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Every recovery figure report.md prints is the journal's, formatted: the report never computes its own. */
class ReportFiguresPropertiesTest {

    @Property(tries = 200)
    void reportMdShowsTheJournalsRecoveryFigures(@ForAll @IntRange(min = 0, max = 60_000) int detectMs,
            @ForAll @IntRange(min = 0, max = 120_000) int outageMs, @ForAll @IntRange(min = 0, max = 90_000) int recoverMs,
            @ForAll @IntRange(min = 0, max = 1_000) int okPermille, @ForAll @IntRange(min = 0, max = 50) int cut,
            @ForAll boolean recovered) {
        Instant start = SampleRun.START;
        Instant fault = start.plusSeconds(5);
        Instant back = fault.plusMillis(detectMs + outageMs);
        long window = detectMs + outageMs + 10_000L;
        Recovery.Tally checks = new Recovery.Tally(1_000 + cut, okPermille, 1_000 - okPermille, cut);
        Recovery figures = new Recovery(Optional.of(fault), Optional.of(fault.plusMillis(detectMs)),
                Optional.of(Duration.ofMillis(detectMs)), recovered ? Optional.of(back) : Optional.empty(),
                recovered ? Optional.of(back) : Optional.empty(), recovered ? Optional.of(back) : Optional.empty(),
                recovered ? Optional.of(Duration.ofMillis(recoverMs)) : Optional.empty(),
                recovered ? Optional.of(Duration.ofMillis(outageMs)) : Optional.empty(), Duration.ofMillis(window),
                1.0 - (double) outageMs / window, okPermille / 1000.0, checks, checks);

        Journal j = Reports.journal(SampleRun.result("figures", figures), SampleRun.context());
        String md = Markdown.render(j);

        Journal.RecoveryEntry r = j.recovery();
        assertThat(md).contains("| time to detect (fault → first failure) | " + Markdown.secs(r.timeToDetectMs()) + " |")
                .contains("| outage (first failure → back) | " + (r.outageMs() == null ? "still going at the end"
                        : Markdown.secs(r.outageMs())) + " |")
                .contains("| time to recover (fault end → back) | " + (r.timeToRecoverMs() == null ? "never"
                        : Markdown.secs(r.timeToRecoverMs())) + " |")
                .contains("| availability by time (of " + Markdown.secs(r.observedWindowMs()) + " observed from the first "
                        + "fault) | " + Checklist.pct(r.availabilityByTime()) + " |")
                .contains(" | " + Checklist.pct(r.availabilityByCall()) + " |")
                .contains("| " + r.checksSent() + " sent: " + r.checksOk() + " ok, " + r.checksFailed() + " failed, "
                        + r.checksCut() + " cut by the end of the run |");
        assertThat(r.checksSent()).isEqualTo(r.checksOk() + r.checksFailed() + r.checksCut());
        assertThat(r.outageMs()).isEqualTo(recovered ? Long.valueOf(outageMs) : null);
    }
}
