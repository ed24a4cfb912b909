package dev.faultline.core.cli;

import dev.faultline.core.load.LoadConfig;
import dev.faultline.core.notify.Notifier;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every {@code FAULTLINE_*} environment variable, parsed once, at the edge (the scripts and the
 * DSL's {@code Chaos} entry point), into typed values. A variable that is set but malformed is
 * rejected here, naming the variable, the value and the forms it accepts; ranges that depend on
 * the command (a monitor's interval, a load's rate) are checked by the command that uses them.
 * An unset or blank variable is {@link Optional#empty()}: each command picks its own default.
 *
 * <p>Nothing under {@code dev.faultline.core} except this package reads the environment for
 * faultline's settings; domain classes take typed values.
 */
public final class Settings {

    public static final String PROJECT = "FAULTLINE_PROJECT";
    public static final String URL = "FAULTLINE_URL";
    public static final String RATE = "FAULTLINE_RATE";
    public static final String DURATION = "FAULTLINE_DURATION";
    public static final String WARMUP = "FAULTLINE_WARMUP";
    public static final String CONNECTIONS = "FAULTLINE_CONNECTIONS";
    public static final String INTERVAL = "FAULTLINE_INTERVAL";
    public static final String TIMEOUT = "FAULTLINE_TIMEOUT";
    public static final String METHOD = "FAULTLINE_METHOD";
    public static final String BODY = "FAULTLINE_BODY";
    public static final String RESULTS = "FAULTLINE_RESULTS";
    public static final String EXPECT_STATUS = "FAULTLINE_EXPECT_STATUS";
    public static final String MIN_AVAILABILITY = "FAULTLINE_MIN_AVAILABILITY";
    public static final String REPORT = "FAULTLINE_REPORT";
    public static final String SINCE = "FAULTLINE_SINCE";
    public static final String UNTIL = "FAULTLINE_UNTIL";
    public static final String REPORTS = "FAULTLINE_REPORTS";
    public static final String PROGRESS = "FAULTLINE_PROGRESS";
    public static final String PLAIN = "FAULTLINE_PLAIN";
    public static final String SLACK_WEBHOOK = "FAULTLINE_SLACK_WEBHOOK";
    public static final String WEBHOOK_URL = "FAULTLINE_WEBHOOK_URL";
    public static final String ONLY = "FAULTLINE_ONLY";
    public static final String STEADY_SECONDS = "FAULTLINE_STEADY_SECONDS";
    public static final String RESTORE = "FAULTLINE_RESTORE";
    public static final String SWARM = "FAULTLINE_SWARM";
    public static final String SWARM_NODE_PORT = "FAULTLINE_SWARM_NODE_PORT";
    public static final String SWARM_MACHINES = "FAULTLINE_SWARM_MACHINES";

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");
    private static final Pattern PROJECT_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    /** A moment given either as a time ago ("10m") or as an ISO instant. */
    public record Moment(Optional<Duration> ago, Optional<Instant> at) {
        public Instant resolve(Instant now) {
            return at.orElseGet(() -> now.minus(ago.orElseThrow()));
        }
    }

    /** Where reports go: a folder, or {@link #off()}. */
    public record Reports(Optional<Path> folder) {
        public boolean off() {
            return folder.isEmpty();
        }
    }

    private final Map<String, String> environment;
    private final Optional<String> project;
    private final Optional<String> url;
    private final Optional<Double> rate;
    private final Optional<Duration> duration;
    private final Optional<Duration> warmUp;
    private final Optional<Integer> connections;
    private final Optional<Duration> interval;
    private final Optional<Duration> timeout;
    private final Optional<String> method;
    private final Optional<String> body;
    private final Optional<Path> results;
    private final Optional<Integer> expectStatus;
    private final Optional<Double> minAvailabilityPercent;
    private final Optional<Path> report;
    private final Optional<Moment> since;
    private final Optional<Moment> until;
    private final Optional<Reports> reports;
    private final boolean progress;
    private final boolean plain;
    private final Optional<URI> slackWebhook;
    private final Optional<URI> webhookUrl;
    private final List<String> only;
    private final Optional<Integer> steadySeconds;
    private final boolean restore;
    private final Optional<String> swarm;
    private final int swarmNodePort;
    private final Map<String, String> swarmMachines;

    private Settings(Map<String, String> env) {
        this.environment = Map.copyOf(env);
        this.project = value(PROJECT, Settings::project);
        this.url = value(URL, v -> httpUrl(URL, v));
        this.rate = value(RATE, v -> positiveNumber(RATE, v, "requests per second"));
        this.duration = value(DURATION, v -> duration(DURATION, v));
        this.warmUp = value(WARMUP, v -> duration(WARMUP, v));
        // connections, at most the load's in-flight cap (LoadConfig checks the pair)
        this.connections = value(CONNECTIONS, v -> wholeNumber(CONNECTIONS, v, 1, LoadConfig.DEFAULT_MAX_IN_FLIGHT));
        this.interval = value(INTERVAL, v -> duration(INTERVAL, v));
        this.timeout = value(TIMEOUT, v -> duration(TIMEOUT, v));
        this.method = value(METHOD, v -> v.toUpperCase(Locale.ROOT));
        this.body = Optional.ofNullable(env.get(BODY)).filter(v -> !v.isEmpty());
        this.results = value(RESULTS, Path::of);
        this.expectStatus = value(EXPECT_STATUS, v -> wholeNumber(EXPECT_STATUS, v, 100, 599));
        this.minAvailabilityPercent = value(MIN_AVAILABILITY, v -> percent(MIN_AVAILABILITY, v));
        this.report = value(REPORT, Path::of);
        this.since = value(SINCE, v -> moment(SINCE, v));
        this.until = value(UNTIL, v -> moment(UNTIL, v));
        this.reports = value(REPORTS, v -> new Reports(v.equalsIgnoreCase("off") ? Optional.empty() : Optional.of(Path.of(v))));
        this.progress = flag(PROGRESS);
        this.plain = flag(PLAIN);
        this.slackWebhook = value(SLACK_WEBHOOK, v -> uri(SLACK_WEBHOOK, v));
        this.webhookUrl = value(WEBHOOK_URL, v -> uri(WEBHOOK_URL, v));
        this.only = value(ONLY, v -> Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
        this.steadySeconds = value(STEADY_SECONDS, v -> wholeNumber(STEADY_SECONDS, v, 1, 3600));
        this.restore = value(RESTORE, v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException(RESTORE + " must be on or off, got '" + v + "'");
        }).orElse(true);
        this.swarm = value(SWARM, v -> v);
        this.swarmNodePort = value(SWARM_NODE_PORT, v -> wholeNumber(SWARM_NODE_PORT, v, 1, 65535)).orElse(2375);
        this.swarmMachines = value(SWARM_MACHINES, v -> pairs(SWARM_MACHINES, v)).orElse(Map.of());
    }

    /**
     * Parses {@code environment} (usually {@code System.getenv()}).
     *
     * @throws IllegalArgumentException for the first malformed variable, naming it and what it accepts
     */
    public static Settings from(Map<String, String> environment) {
        return new Settings(Objects.requireNonNull(environment, "environment"));
    }

    /** This process's environment. */
    public static Settings fromEnvironment() {
        return from(System.getenv());
    }

    /** The whole environment, for what is not a faultline setting: secrets to redact, COMPOSE_PROJECT_NAME. */
    public Map<String, String> environment() {
        return environment;
    }

    /** FAULTLINE_PROJECT: a Compose project name. */
    public Optional<String> project() { return project; }

    /** FAULTLINE_URL: an http(s) URL (the health URL, or the load's target). */
    public Optional<String> url() { return url; }

    /** FAULTLINE_RATE: requests per second, > 0. */
    public Optional<Double> rate() { return rate; }

    /** FAULTLINE_DURATION: 0 or more ("10s", "500ms", "1.5s", "2m", "PT10S"; a bare number is seconds). */
    public Optional<Duration> duration() { return duration; }

    /** FAULTLINE_WARMUP: how long the load generator warms up on its own before a load; 0 for none. */
    public Optional<Duration> warmUp() { return warmUp; }

    /** FAULTLINE_CONNECTIONS: at most this many connections to the load's target, in [1, 1024]. */
    public Optional<Integer> connections() { return connections; }

    /** FAULTLINE_INTERVAL. */
    public Optional<Duration> interval() { return interval; }

    /** FAULTLINE_TIMEOUT: per request. */
    public Optional<Duration> timeout() { return timeout; }

    /** FAULTLINE_METHOD, upper case. */
    public Optional<String> method() { return method; }

    /** FAULTLINE_BODY: a request body. */
    public Optional<String> body() { return body; }

    /** FAULTLINE_RESULTS: a JSON Lines file to write every request to. */
    public Optional<Path> results() { return results; }

    /** FAULTLINE_EXPECT_STATUS: an HTTP status in [100, 599]. */
    public Optional<Integer> expectStatus() { return expectStatus; }

    /** FAULTLINE_MIN_AVAILABILITY: a percentage in [0, 100] (a trailing % is allowed). */
    public Optional<Double> minAvailabilityPercent() { return minAvailabilityPercent; }

    /** FAULTLINE_REPORT: an experiment's report folder. */
    public Optional<Path> report() { return report; }

    /** FAULTLINE_SINCE: a time ago ("10m") or an ISO instant. */
    public Optional<Moment> since() { return since; }

    /** FAULTLINE_UNTIL: a time ago or an ISO instant. */
    public Optional<Moment> until() { return until; }

    /** FAULTLINE_REPORTS: a folder, or "off". */
    public Optional<Reports> reports() { return reports; }

    /** FAULTLINE_RESTORE (on, the default, or off): restore the stack between the experiments of a suite. */
    public boolean restore() { return restore; }
    /** FAULTLINE_SWARM: the engine endpoint of a swarm manager, e.g. {@code tcp://10.0.0.5:2375}. */
    public Optional<String> swarm() { return swarm; }

    /** FAULTLINE_SWARM_NODE_PORT: where each swarm node's engine listens on its swarm address (default 2375). */
    public int swarmNodePort() { return swarmNodePort; }

    /** FAULTLINE_SWARM_MACHINES: {@code hostname=container ...}, the local containers that are the swarm's nodes. */
    public Map<String, String> swarmMachines() { return swarmMachines; }

    /** FAULTLINE_PROGRESS=1: a live progress line while a run goes. */
    public boolean progress() { return progress; }

    /** FAULTLINE_PLAIN=1: never redraw in place. */
    public boolean plain() { return plain; }

    /** Whether output may be redrawn in place: TERM set and not "dumb", unless FAULTLINE_PLAIN=1. */
    public boolean terminal() {
        String term = environment.get("TERM");
        return !plain && term != null && !term.isBlank() && !term.equals("dumb");
    }

    /** FAULTLINE_SLACK_WEBHOOK: a secret, never printed. */
    public Optional<URI> slackWebhook() { return slackWebhook; }

    /** FAULTLINE_WEBHOOK_URL: a secret, never printed. */
    public Optional<URI> webhookUrl() { return webhookUrl; }

    /** A notifier to the Slack and generic webhooks set here; {@link Notifier#none()} when neither is. */
    public Notifier notifier() {
        Notifier n = Notifier.none();
        if (slackWebhook.isPresent()) n = n.withSlack(slackWebhook.get().toString());
        if (webhookUrl.isPresent()) n = n.withWebhook(webhookUrl.get().toString());
        return n;
    }

    /** FAULTLINE_ONLY: comma-separated prefixes of experiment ids; empty means all. */
    public List<String> only() { return only; }

    /** FAULTLINE_STEADY_SECONDS: a whole number in [1, 3600]. */
    public Optional<Integer> steadySeconds() { return steadySeconds; }

    private <T> Optional<T> value(String name, Function<String, T> parse) {
        String v = environment.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(parse.apply(v.strip()));
    }

    private boolean flag(String name) {
        String v = environment.get(name);
        return v != null && (v.strip().equals("1") || v.strip().equalsIgnoreCase("true"));
    }

    private static String project(String v) {
        if (!PROJECT_NAME.matcher(v).matches()) {
            throw new IllegalArgumentException(PROJECT + " must be a Compose project name (lower-case letters, digits, '_', '-'; "
                    + "1 to 63 characters), got '" + v + "'");
        }
        return v;
    }

    static String httpUrl(String name, String v) {
        if (!(v.startsWith("http://") || v.startsWith("https://"))) {
            throw new IllegalArgumentException(name + " must be an http:// or https:// URL, got '" + v + "'");
        }
        try {
            if (new URI(v).getHost() == null) {
                throw new IllegalArgumentException(name + " must name a host, got '" + v + "'");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + " must be an http:// or https:// URL, got '" + v + "': " + e.getReason());
        }
        return v;
    }

    private static URI uri(String name, String v) {
        try {
            URI uri = new URI(httpUrl(name, v));
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + " must be an http:// or https:// URL", e);
        }
    }

    private static double positiveNumber(String name, String v, String unit) {
        try {
            double d = Double.parseDouble(v);
            if (d > 0 && Double.isFinite(d)) return d;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a number > 0 of " + unit + ", got '" + v + "'");
    }

    private static Map<String, String> pairs(String name, String v) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (String pair : v.trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new IllegalArgumentException(name + " must be name=value pairs separated by spaces, got '" + v + "'");
            }
            map.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return Map.copyOf(map);
    }

    /**
     * {@code v}, the value of the variable {@code name}, as a whole number in {@code [min, max]}.
     *
     * @throws IllegalArgumentException naming the variable, the range and the value
     */
    public static int wholeNumber(String name, String v, int min, int max) {
        return whole(name, v, min, max, "a whole number");
    }

    /** As {@link #wholeNumber}, for a variable that counts seconds: the message says "whole seconds". */
    public static int wholeSeconds(String name, String v, int min, int max) {
        return whole(name, v, min, max, "whole seconds");
    }

    private static int whole(String name, String v, int min, int max, String kind) {
        try {
            int i = Integer.parseInt(v);
            if (i >= min && i <= max) return i;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be " + kind + " in [" + min + ", " + max + "], got '" + v + "'");
    }

    private static double percent(String name, String v) {
        try {
            double d = Double.parseDouble(v.replaceFirst("%$", ""));
            if (d >= 0 && d <= 100) return d;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a percentage in [0, 100], got '" + v + "'");
    }

    /**
     * Durations as people type them: "500ms", "2s", "1.5s", "5m", "1h", "1d", "0", a bare number
     * of seconds, or ISO-8601 "PT2S". Never negative.
     *
     * @throws IllegalArgumentException naming {@code name}, the value and the accepted forms
     */
    public static Duration duration(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be a duration such as 500ms, 2s, 5m or PT2S, got nothing");
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.startsWith("p")) {
            try {
                Duration d = Duration.parse(v.toUpperCase(Locale.ROOT));
                if (d.isNegative()) throw new IllegalArgumentException(name + " must not be negative, got '" + value + "'");
                return d;
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(name + " must be a duration such as 500ms, 2s, 5m or PT2S, got '" + value + "'", e);
            }
        }
        Matcher m = SIMPLE_DURATION.matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException(name + " must be a duration such as 500ms, 2s, 5m or PT2S, got '" + value + "'");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double nanos = amount * switch (unit) {
            case "ms" -> 1e6;
            case "m" -> 60e9;
            case "h" -> 3600e9;
            case "d" -> 86400e9;
            default -> 1e9;
        };
        if (nanos > Long.MAX_VALUE / 2.0) {
            throw new IllegalArgumentException(name + " is too long, got '" + value + "'");
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    private static Moment moment(String name, String v) {
        if (!v.isEmpty() && Character.isDigit(v.charAt(0)) && !v.contains("T") && !v.contains("-")) {
            try {
                return new Moment(Optional.of(duration(name, v)), Optional.empty());
            } catch (IllegalArgumentException notADuration) {
                // reported below
            }
        }
        try {
            return new Moment(Optional.empty(), Optional.of(Instant.parse(v)));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be a time ago (10m, 90s, 2h, 1d) or an ISO instant "
                    + "(2026-11-27T06:48:00Z), got '" + v + "'");
        }
    }
}
