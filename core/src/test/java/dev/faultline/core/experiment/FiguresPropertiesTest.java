package dev.faultline.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.faultline.core.probe.ErrorClass;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The definitions' invariants over generated timelines of checks (README, "Definitions"). */
class FiguresPropertiesTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    private static final Duration HEALTHY_FOR = Duration.ofMillis(500);
    private static final long INTERVAL_MS = 100;

    /** One check: ok, failed or cut, and how long it took to answer. */
    record Check(char kind, int latencyMs) {}

    @Provide
    Arbitrary<List<Check>> timelines() {
        Arbitrary<Check> check = Combinators.combine(Arbitraries.of('o', 'o', 'o', 'f', 'f', 'c'),
                Arbitraries.integers().between(0, 3_000)).as(Check::new);
        return check.list().ofMinSize(1).ofMaxSize(120);
    }

    /** Checks every 100 ms from T0; cut ones only at the end, as the end of a run cuts them. */
    private static List<Observation> observations(List<Check> checks) {
        List<Observation> out = new ArrayList<>();
        int lastNotCut = checks.size() - 1;
        for (int i = 0; i < checks.size(); i++) {
            Check c = checks.get(i);
            Instant sent = T0.plusMillis(i * INTERVAL_MS);
            Duration latency = Duration.ofMillis(c.latencyMs());
            char kind = c.kind() == 'c' && i < checks.size() - 3 ? 'o' : c.kind();
            out.add(switch (kind) {
                case 'o' -> new Observation(sent, Observation.Source.STEADY_STATE, true, latency, ErrorClass.NONE, "ok");
                case 'f' -> new Observation(sent, Observation.Source.STEADY_STATE, false, latency, ErrorClass.HTTP_502, "502");
                default -> new Observation(sent, Observation.Source.STEADY_STATE, false, latency, ErrorClass.CUT, "cut");
            });
        }
        return out;
    }

    private static Recovery recovery(List<Observation> checks, int faultEndMs) {
        return Figures.recovery(checks, checks, Optional.of(T0), Optional.of(T0.plusMillis(faultEndMs)), HEALTHY_FOR);
    }

    @Property
    void theOutageFitsInTheObservedWindow(@ForAll("timelines") List<Check> timeline,
            @ForAll @IntRange(min = 0, max = 5_000) int faultEndMs) {
        Recovery r = recovery(observations(timeline), faultEndMs);

        r.outage().ifPresent(o -> assertThat(o).isLessThanOrEqualTo(r.observedWindow()));
        assertThat(r.availabilityByTime()).isBetween(0.0, 1.0);
        assertThat(r.availabilityByCall()).isBetween(0.0, 1.0);
    }

    @Property
    void timesToRecoverAndToDetectAreNeverNegative(@ForAll("timelines") List<Check> timeline,
            @ForAll @IntRange(min = 0, max = 5_000) int faultEndMs) {
        Recovery r = recovery(observations(timeline), faultEndMs);

        r.timeToRecover().ifPresent(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ZERO));
        r.timeToDetect().ifPresent(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ZERO));
        r.outage().ifPresent(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ZERO));
    }

    @Property
    void countsAddUpAndCutChecksAreNeverFailures(@ForAll("timelines") List<Check> timeline) {
        List<Observation> checks = observations(timeline);
        Recovery r = recovery(checks, 0);

        long ok = checks.stream().filter(Observation::ok).count();
        long failed = checks.stream().filter(o -> o.errorClass() == ErrorClass.HTTP_502).count();
        long cut = checks.stream().filter(o -> o.errorClass() == ErrorClass.CUT).count();
        assertThat(r.checks()).isEqualTo(new Recovery.Tally(checks.size(), ok, failed, cut));
        assertThat(r.checks().ok() + r.checks().failed() + r.checks().cut()).isEqualTo(r.checks().sent());
    }

    /** One outage: healthy checks, a run of failures, then healthy checks long enough to count as recovered. */
    @Property
    void withOneOutageAvailabilityByTimeIsOneMinusItsShareOfTheWindow(
            @ForAll @IntRange(min = 0, max = 30) int before, @ForAll @IntRange(min = 1, max = 40) int failures,
            @ForAll @IntRange(min = 6, max = 40) int after, @ForAll @IntRange(min = 0, max = 2_000) int slowFirstAnswerMs,
            @ForAll @IntRange(min = 0, max = 50) int latencyMs) {
        List<Check> timeline = new ArrayList<>();
        for (int i = 0; i < before; i++) timeline.add(new Check('o', latencyMs));
        for (int i = 0; i < failures; i++) timeline.add(new Check('f', latencyMs));
        // the first check after the outage may be slow (nginx held it until the app was back)
        timeline.add(new Check('o', slowFirstAnswerMs));
        for (int i = 1; i < after; i++) timeline.add(new Check('o', latencyMs));
        List<Observation> checks = observations(timeline);
        Instant firstFailure = T0.plusMillis(before * INTERVAL_MS);

        Recovery r = recovery(checks, before * (int) INTERVAL_MS);

        assertThat(r.recovered()).isTrue();
        assertThat(r.firstFailureAt()).contains(firstFailure);
        Duration outage = r.outage().orElseThrow();
        // the outage covers the slow check: back is when its answer came, or an earlier one's
        Instant slowAnswer = T0.plusMillis((before + failures) * INTERVAL_MS + slowFirstAnswerMs);
        assertThat(firstFailure.plus(outage)).isBeforeOrEqualTo(slowAnswer);
        assertThat(outage).isGreaterThanOrEqualTo(Duration.ofMillis(failures * INTERVAL_MS));
        double share = (double) outage.toNanos() / r.observedWindow().toNanos();
        assertThat(r.availabilityByTime()).isCloseTo(1.0 - share, within(1e-9));
    }
}
