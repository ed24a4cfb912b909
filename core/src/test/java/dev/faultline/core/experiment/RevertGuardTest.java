package dev.faultline.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.core.experiment.Fakes.RecordingFault;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RevertGuardTest {

    private final List<String> journal = Fakes.newJournal();

    @Test
    void registersAShutdownHookThatRevertsLiveInjectionsAndRemovesItOnClose() throws Exception {
        RevertGuard guard = new RevertGuard("hook-test", Duration.ofSeconds(5), Clock.systemUTC());
        RecordingFault a = new RecordingFault("pause web", journal);
        RecordingFault b = new RecordingFault("stress web", journal);
        guard.register(FaultStep.at(a, Duration.ZERO), a.inject(null), Instant.now());
        guard.register(FaultStep.at(b, Duration.ZERO), b.inject(null), Instant.now());

        // Registered: removing it succeeds (then put it back, as if untouched).
        assertThat(Runtime.getRuntime().removeShutdownHook(guard.hook())).isTrue();
        Runtime.getRuntime().addShutdownHook(guard.hook());

        // What the JVM does on Ctrl-C or SIGTERM.
        guard.hook().run();

        assertThat(journal).containsExactly("inject pause web", "inject stress web", "revert stress web", "revert pause web");
        assertThat(guard.entries()).allSatisfy(e -> assertThat(e.revertedAt()).isPresent());

        guard.close();
        assertThat(Runtime.getRuntime().removeShutdownHook(guard.hook())).as("hook removed by close()").isFalse();
    }

    @Test
    void revertsEachInjectionOnceHoweverOftenAskedAndBoundsAHungRevert() {
        RevertGuard guard = new RevertGuard("hung", Duration.ofMillis(200), Clock.systemUTC());
        RecordingFault hung = new RecordingFault("freeze db", journal);
        hung.onRevert = () -> {
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        RevertGuard.Entry entry = guard.register(FaultStep.at(hung, Duration.ZERO), hung.inject(null), Instant.now());

        long start = System.nanoTime();
        guard.revertAll();
        guard.revertAll();
        guard.close();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(journal).containsExactly("inject freeze db", "revert freeze db");
        assertThat(entry.error()).contains("revert of 'freeze db' did not finish within 200 ms; "
                + "the fault may still be in effect (test mechanism for freeze db)");
    }
}
