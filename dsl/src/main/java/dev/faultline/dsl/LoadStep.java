package dev.faultline.dsl;

import dev.faultline.core.experiment.Workload;
import dev.faultline.core.load.LoadConfig;
import dev.faultline.core.load.RequestSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The settings record behind {@link LoadPlan}; every step returns a copy. */
record LoadStep(double perSecond, List<RequestSpec> requests, Optional<String> readBackPath, boolean tracked,
        Optional<String> baseUrl, Duration lasting, Duration timeout) implements LoadPlan {

    /** Request bodies up to 1 MiB: a load generator sends the same body at every request. */
    static final int MAX_BODY = 1 << 20;
    static final Duration DEFAULT_LASTING = Duration.ofMinutes(10);
    static final Duration DEFAULT_TIMEOUT = LoadConfig.DEFAULT_CALL_TIMEOUT;

    LoadStep {
        requests = List.copyOf(requests);
    }

    record RateStep(double rate) implements LoadPlan.Rate {
        RateStep {
            if (!(rate > 0 && rate <= 600_000)) {
                throw new IllegalArgumentException("rate must be in (0, 600000], got " + rate);
            }
        }

        @Override
        public LoadPlan perSecond() {
            if (rate > 10_000) {
                throw new IllegalArgumentException("rate per second must be in (0, 10000], got " + rate);
            }
            return new LoadStep(rate, List.of(), Optional.empty(), false, Optional.empty(), DEFAULT_LASTING, DEFAULT_TIMEOUT);
        }

        @Override
        public LoadPlan perMinute() {
            return new LoadStep(rate / 60.0, List.of(), Optional.empty(), false, Optional.empty(), DEFAULT_LASTING, DEFAULT_TIMEOUT);
        }
    }

    private LoadStep plus(RequestSpec spec) {
        List<RequestSpec> all = new ArrayList<>(requests);
        all.add(spec);
        return new LoadStep(perSecond, all, readBackPath, tracked, baseUrl, lasting, timeout);
    }

    private static String path(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/', got " + Args.quoted(path));
        }
        return path;
    }

    @Override
    public LoadPlan get(String path) {
        return plus(RequestSpec.get(path(path)));
    }

    @Override
    public LoadPlan post(String path, String json) {
        return plus(RequestSpec.post(path(path), Args.text("json", json, MAX_BODY)));
    }

    @Override
    public LoadPlan trackWrites() {
        return new LoadStep(perSecond, requests, Optional.empty(), true, baseUrl, lasting, timeout);
    }

    @Override
    public LoadPlan trackWrites(String readBackPath) {
        if (readBackPath == null || !readBackPath.startsWith("/") || !readBackPath.contains("{id}")) {
            throw new IllegalArgumentException("readBackPath must start with '/' and contain {id}, got "
                    + Args.quoted(readBackPath));
        }
        return new LoadStep(perSecond, requests, Optional.of(readBackPath), true, baseUrl, lasting, timeout);
    }

    @Override
    public LoadPlan baseUrl(String url) {
        return new LoadStep(perSecond, requests, readBackPath, tracked, Optional.of(Args.httpUrl("baseUrl", url)), lasting, timeout);
    }

    @Override
    public LoadPlan lasting(Duration duration) {
        return new LoadStep(perSecond, requests, readBackPath, tracked, baseUrl,
                Args.positive("duration", duration, Duration.ofHours(24)), timeout);
    }

    @Override
    public LoadPlan timeout(Duration timeout) {
        return new LoadStep(perSecond, requests, readBackPath, tracked, baseUrl, lasting,
                Args.positive("timeout", timeout, Duration.ofMinutes(10)));
    }

    @Override
    public Workload toWorkload(String defaultBaseUrl) {
        Args.httpUrl("defaultBaseUrl", defaultBaseUrl);
        if (requests.isEmpty()) {
            throw new IllegalArgumentException("load has no request: add get(path) or post(path, json)");
        }
        List<RequestSpec> specs = requests;
        Optional<String> readBack = Optional.empty();
        if (tracked) {
            List<RequestSpec> posts = requests.stream().filter(r -> r.method().equals("POST")).toList();
            if (posts.isEmpty()) {
                throw new IllegalArgumentException("trackWrites() needs a post(path, json) to track");
            }
            // With several POST paths the default read-back path would be ambiguous.
            if (readBackPath.isEmpty() && posts.stream().map(RequestSpec::path).distinct().count() > 1) {
                throw new IllegalArgumentException("trackWrites() with several POST paths needs trackWrites(readBackPath)");
            }
            String first = posts.get(0).path();
            readBack = Optional.of(readBackPath.orElse((first.endsWith("/") ? first : first + "/") + "{id}/"));
            specs = requests.stream().map(r -> r.method().equals("POST") ? r.trackingWrites() : r).toList();
        }
        LoadConfig.Builder config = LoadConfig.custom().baseUrl(baseUrl.orElse(defaultBaseUrl)).constantRate(perSecond, lasting)
                .callTimeout(timeout);
        specs.forEach(config::request);
        return Load.generated(config.build(), readBack);
    }
}
