package dev.faultline.core.experiment;

import dev.faultline.core.probe.Probe;
import dev.faultline.core.probe.ProbeResult;
import dev.faultline.core.steadystate.SteadyState;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Samples the readiness probes of {@link Expectation.NoErrorsOnceReady} and {@link Expectation.BackWithin}
 * every 100 ms, as {@link Observation.Source#READINESS} observations: not traffic, so never counted in
 * error rates nor fed to abort rules.
 */
final class ReadinessSampler implements AutoCloseable {

    static final long PERIOD_MILLIS = 100;

    private final ScheduledExecutorService executor;

    private ReadinessSampler(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** The probe an expectation waits to be ready; null when it has none. */
    static Probe readinessOf(Expectation e) {
        if (e instanceof Expectation.NoErrorsOnceReady ready) {
            return ready.readiness();
        }
        return e instanceof Expectation.BackWithin back ? back.readiness() : null;
    }

    /** Starts sampling the experiment's readiness probes; a sampler that does nothing when there are none. */
    static ReadinessSampler start(Experiment experiment, Clock clock, Consumer<Observation> sink, String runId) {
        List<Probe> probes = experiment.expectations().stream()
                .map(ReadinessSampler::readinessOf).filter(Objects::nonNull).distinct().toList();
        if (probes.isEmpty()) {
            return new ReadinessSampler(null);
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "faultline-readiness-" + runId);
            t.setDaemon(true);
            return t;
        });
        executor.scheduleAtFixedRate(() -> {
            for (Probe probe : probes) {
                ProbeResult r = SteadyState.of(probe).check().results().get(0);
                sink.accept(new Observation(r.time() == null ? clock.instant() : r.time(),
                        Observation.Source.READINESS, r.ok(), r.latency(), r.errorClass(), r.probe() + ": " + r.detail()));
            }
        }, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        return new ReadinessSampler(executor);
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
