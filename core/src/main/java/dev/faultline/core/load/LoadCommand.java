package dev.faultline.core.load;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code scripts/load.jsh} does, returning its exit code: 0 when every request succeeded, 1 when
 * any failed or was dropped, 2 for bad parameters. Parameters come from the environment:
 * FAULTLINE_URL (default http://localhost:8081/), FAULTLINE_RATE (per second, default 50),
 * FAULTLINE_DURATION (default 10s), FAULTLINE_METHOD (default GET), FAULTLINE_BODY (none),
 * FAULTLINE_TIMEOUT (per request, default 10s), FAULTLINE_RESULTS (a results.jsonl to write, none).
 */
public final class LoadCommand {

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private LoadCommand() {}

    public static int run(Map<String, String> environment, PrintStream out) {
        LoadConfig config;
        String url;
        String method;
        Path results;
        try {
            url = environment.getOrDefault("FAULTLINE_URL", "http://localhost:8081/");
            double rate = rate(environment.getOrDefault("FAULTLINE_RATE", "50"));
            Duration duration = duration("FAULTLINE_DURATION", environment.getOrDefault("FAULTLINE_DURATION", "10s"));
            Duration timeout = duration("FAULTLINE_TIMEOUT", environment.getOrDefault("FAULTLINE_TIMEOUT", "10s"));
            method = environment.getOrDefault("FAULTLINE_METHOD", "GET").toUpperCase(Locale.ROOT);
            String body = environment.get("FAULTLINE_BODY");
            String resultsFile = environment.get("FAULTLINE_RESULTS");
            results = resultsFile == null || resultsFile.isBlank() ? null : Path.of(resultsFile);
            config = LoadConfig.custom()
                    .baseUrl(url)
                    .profile(LoadProfile.constant(rate, duration))
                    .request(RequestSpec.of(method, url, body))
                    .callTimeout(timeout)
                    .build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            out.println("Bad parameter: " + e.getMessage());
            return 2;
        }
        out.printf(Locale.ROOT, "Load: %s %s at %s (%d requests)%n", method, url, config.profile(),
                config.profile().totalRequests());
        List<RequestListener> listeners = new ArrayList<>();
        ResultsWriter writer;
        try {
            writer = results == null ? null : ResultsWriter.open(results);
        } catch (UncheckedIOException e) {
            out.println("Bad parameter: FAULTLINE_RESULTS: " + e.getMessage());
            return 2;
        }
        if (writer != null) listeners.add(writer);
        LoadSummary summary;
        try {
            summary = LoadGenerator.run(config, listeners.toArray(RequestListener[]::new));
        } finally {
            if (writer != null) writer.close();
        }
        out.println();
        out.print(summary);
        if (writer != null) out.println("Results: " + writer.file().toAbsolutePath());
        boolean allOk = summary.requests() > 0 && summary.ok() == summary.requests();
        out.printf(Locale.ROOT, "%s: %d of %d requests succeeded%n", allOk ? "OK" : "FAILED", summary.ok(), summary.requests());
        return allOk ? 0 : 1;
    }

    private static double rate(String value) {
        try {
            double rate = Double.parseDouble(value.trim());
            if (!(rate > 0)) throw new IllegalArgumentException("FAULTLINE_RATE must be > 0 per second, was '" + value + "'");
            return rate;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("FAULTLINE_RATE must be a number of requests per second, was '" + value + "'");
        }
    }

    /** "10s", "500ms", "2m", "1.5s" or ISO-8601 "PT10S". */
    static Duration duration(String name, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE_DURATION.matcher(v);
        Duration d;
        if (m.matches()) {
            double n = Double.parseDouble(m.group(1));
            double nanosPerUnit = switch (m.group(2)) {
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            d = Duration.ofNanos(Math.round(n * nanosPerUnit));
        } else {
            try {
                d = Duration.parse(value.trim().toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(name + " must be a duration like 10s, 500ms, 2m or PT10S, was '" + value + "'");
            }
        }
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be > 0, was '" + value + "'");
        return d;
    }
}
