package dev.faultline.dsl;

import dev.faultline.core.experiment.Workload;
import dev.faultline.core.load.LoadConfig;
import dev.faultline.core.load.LoadGenerator;
import dev.faultline.core.load.RequestSpec;
import dev.faultline.core.load.WriteReadBack;
import dev.faultline.core.load.WriteTracker;
import dev.faultline.core.observe.RunClock;
import dev.faultline.core.probe.ProbeResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
        Args.notNull("more", more);
        for (int i = 0; i < more.length; i++) {
            builder.request(Args.notNull("requests[" + (i + 1) + "]", more[i]));
        }
        return of(builder.build());
    }

    /**
     * Tracked writes: {@code perSecond} POSTs of {@code json} to {@code writePath}; each
     * acknowledged id (the response's {@code id}) is read back after recovery with a GET of
     * {@code readBackPath}, whose {@code {id}} is replaced by it (200: there; 404: LOST). This is the
     * load {@code noLostWrites()} needs, e.g. {@code writes(10, ofSeconds(30), url, "/api/orders/", "{\"item\": \"x\"}", "/api/orders/{id}/")}.
     */
    public static Workload writes(double perSecond, Duration duration, String baseUrl, String writePath, String json,
            String readBackPath) {
        if (!(perSecond > 0 && perSecond <= 10_000)) {
            throw new IllegalArgumentException("perSecond must be in (0, 10000], got " + perSecond);
        }
        Args.positive("duration", duration, Duration.ofHours(1));
        Args.httpUrl("baseUrl", baseUrl);
        if (writePath == null || !writePath.startsWith("/")) {
            throw new IllegalArgumentException("writePath must start with '/', got " + Args.quoted(writePath));
        }
        Args.text("json", json, LoadStep.MAX_BODY);
        if (readBackPath == null || !readBackPath.startsWith("/") || !readBackPath.contains("{id}")) {
            throw new IllegalArgumentException("readBackPath must start with '/' and contain {id}, got "
                    + Args.quoted(readBackPath));
        }
        LoadConfig config = LoadConfig.custom().baseUrl(baseUrl).constantRate(perSecond, duration)
                .request(RequestSpec.post(writePath, json).trackingWrites())
                .build();
        return new Generated(config, Optional.of(readBackPath));
    }

    /** {@code constantRate(50).perSecond().get("/").post("/api/orders/", json).trackWrites()}: requests go to the project's address. */
    public static LoadPlan.Rate constantRate(double rate) {
        return new LoadStep.RateStep(rate);
    }

    static Workload generated(LoadConfig config, Optional<String> readBackPath) {
        return new Generated(config, readBackPath);
    }

    /** Any load the generator can make. Writes are not read back (noLostWrites() cannot be used with it). */
    public static Workload of(LoadConfig config) {
        Args.notNull("config", config);
        return new Generated(config, Optional.empty());
    }

    private record Generated(LoadConfig config, Optional<String> readBackPath) implements Workload {

        @Override
        public String describe() {
            return config.profile() + " against " + config.baseUrl();
        }

        @Override
        public boolean tracksWrites() {
            return readBackPath.isPresent();
        }

        @Override
        public Running start(Consumer<ProbeResult> sink) {
            // Our own clock, so the records' run-relative times become instants.
            RunClock clock = RunClock.startingNow();
            WriteTracker tracker = new WriteTracker();
            LoadGenerator generator = LoadGenerator.start(LoadConfig.from(config).clock(clock).build(), tracker, r -> sink.accept(
                    new ProbeResult(r.requestName(), clock.instantAt(r.intendedStart()), r.ok(),
                            Duration.ofNanos(Math.max(0, r.latencyNanos())), r.errorClass(),
                            // the cap is reached when answers stop coming back: mostly a slow or silent target, but also a
                            // generator starved of CPU (seen at 40k req/s on a busy 2-core machine, BENCHMARKS.md 5b), so
                            // the text says what was so, not why
                            r.dropped() ? "not sent: " + config.maxInFlight() + " requests were already waiting for an answer"
                                    : (r.status() > 0 ? "status " + r.status() : r.errorClass().label()) + " in "
                                            + Duration.ofNanos(Math.max(0, r.latencyNanos())).toMillis() + " ms",
                            Duration.ofNanos(r.senderLagNanos()))));
            return new Running() {
                @Override
                public WriteCheck verifyWrites() {
                    String template = readBackPath.orElseThrow(
                            () -> new UnsupportedOperationException("this load does not track writes"));
                    return readBack(config.baseUrl(), template, tracker);
                }

                @Override
                public void close() {
                    generator.close();
                }
            };
        }
    }

    /** GETs every acknowledged id; a 404 is a lost write, any other failure means the check itself failed. */
    private static Workload.WriteCheck readBack(String baseUrl, String template, WriteTracker tracker) {
        List<Long> acknowledged = tracker.acknowledgedIds();
        List<String> lost = WriteReadBack.lost(baseUrl, template, acknowledged).stream().map(String::valueOf).toList();
        return new Workload.WriteCheck(acknowledged.size(), lost.size(), (int) tracker.uncertain(), lost);
    }
}
