package dev.faultline.dsl;

import dev.faultline.core.experiment.Workload;
import dev.faultline.core.load.LoadConfig;
import dev.faultline.core.load.LoadGenerator;
import dev.faultline.core.load.RequestSpec;
import dev.faultline.core.observe.RunClock;
import dev.faultline.core.probe.ProbeResult;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Open-model load for an experiment: {@code Load.constantRate(20, ofSeconds(40), "http://localhost:8081", get("/"))}.
 * Each request's outcome feeds the experiment's error rate, p99 and abort rules.
 */
public final class Load {

    private Load() {}

    /** {@code perSecond} requests a second for {@code duration}, spread over {@code requests} by their weights. */
    public static Workload constantRate(double perSecond, Duration duration, String baseUrl, RequestSpec first,
            RequestSpec... more) {
        if (!(perSecond > 0 && perSecond <= 10_000)) {
            throw new IllegalArgumentException("perSecond must be in (0, 10000], got " + perSecond);
        }
        Args.positive("duration", duration, Duration.ofHours(1));
        Args.httpUrl("baseUrl", baseUrl);
        LoadConfig.Builder builder = LoadConfig.custom().baseUrl(baseUrl).constantRate(perSecond, duration)
                .request(Args.notNull("request", first));
        for (int i = 0; i < more.length; i++) {
            builder.request(Args.notNull("requests[" + (i + 1) + "]", more[i]));
        }
        return of(builder.build());
    }

    /** Any load the generator can make. Writes are not read back (noLostWrites() cannot be used with it). */
    public static Workload of(LoadConfig config) {
        Args.notNull("config", config);
        return new Generated(config);
    }

    private record Generated(LoadConfig config) implements Workload {

        @Override
        public String describe() {
            return config.profile() + " against " + config.baseUrl();
        }

        @Override
        public boolean tracksWrites() {
            return false;
        }

        @Override
        public Running start(Consumer<ProbeResult> sink) {
            // Our own clock, so the records' run-relative times become instants.
            RunClock clock = RunClock.startingNow();
            LoadGenerator generator = LoadGenerator.start(LoadConfig.from(config).clock(clock).build(), r -> sink.accept(
                    new ProbeResult(r.requestName(), clock.instantAt(r.intendedStart()), r.ok(),
                            Duration.ofNanos(Math.max(0, r.latencyNanos())), r.errorClass(),
                            r.dropped() ? "not sent: the generator was saturated"
                                    : (r.status() > 0 ? "status " + r.status() : r.errorClass().label()) + " in "
                                            + Duration.ofNanos(Math.max(0, r.latencyNanos())).toMillis() + " ms")));
            return new Running() {
                @Override
                public WriteCheck verifyWrites() {
                    throw new UnsupportedOperationException("this load does not track writes");
                }

                @Override
                public void close() {
                    generator.close();
                }
            };
        }
    }
}
