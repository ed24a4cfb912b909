package dev.faultline.core.notify;

import dev.faultline.core.time.Durations;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faultline.core.redact.Redactor;
import dev.faultline.core.report.Journal;
import dev.faultline.core.report.RunNotifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends run and suite summaries. Immutable; build with {@link #none()} and {@link #withSlack}/{@link #withWebhook} (the scripts and the DSL read FAULTLINE_SLACK_WEBHOOK and FAULTLINE_WEBHOOK_URL through {@code dev.faultline.core.cli.Settings#notifier()})
 * and {@link #withSlack(String)} / {@link #withWebhook(String)}.
 *
 * <pre>{@code
 * List<String> warnings = Notifier.none().withWebhook(url).notifyRun(journal, "reports/results/2026.../report.html");
 * }</pre>
 */
public final class Notifier implements RunNotifier {

    private static final Logger log = LoggerFactory.getLogger(Notifier.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Optional<URI> slack;
    private final Optional<URI> webhook;
    private final Duration timeout;

    private Notifier(Optional<URI> slack, Optional<URI> webhook, Duration timeout) {
        this.slack = slack;
        this.webhook = webhook;
        this.timeout = timeout;
    }

    public static Notifier none() {
        return new Notifier(Optional.empty(), Optional.empty(), Duration.ofSeconds(10));
    }

    public Notifier withSlack(String url) {
        return new Notifier(Optional.of(uri("slack url", url)), webhook, timeout);
    }

    public Notifier withWebhook(String url) {
        return new Notifier(slack, Optional.of(uri("webhook url", url)), timeout);
    }

    public Notifier withTimeout(Duration t) {
        Objects.requireNonNull(t, "timeout");
        if (t.isZero() || t.isNegative() || t.compareTo(Duration.ofMinutes(2)) > 0) {
            throw new IllegalArgumentException("timeout must be positive and at most 2 min, got " + t);
        }
        return new Notifier(slack, webhook, t);
    }

    @Override
    public boolean enabled() {
        return slack.isPresent() || webhook.isPresent();
    }

    /** The URLs themselves, for redacting them from whatever else is written. */
    @Override
    public List<String> secrets() {
        List<String> out = new ArrayList<>();
        slack.ifPresent(u -> out.add(u.toString()));
        webhook.ifPresent(u -> out.add(u.toString()));
        return out;
    }

    /** Sends one run's summary; returns the warnings (empty when every send succeeded). Never throws. */
    @Override
    public List<String> notifyRun(Journal run, String reportLink) {
        Objects.requireNonNull(run, "run");
        return send(() -> slackRun(run, reportLink), () -> webhookRun(run, reportLink));
    }

    /** Sends one suite's summary. */
    public List<String> notifySuite(List<Journal> runs, String indexLink) {
        Objects.requireNonNull(runs, "runs");
        return send(() -> slackSuite(runs, indexLink), () -> webhookSuite(runs, indexLink));
    }

    private List<String> send(java.util.function.Supplier<String> slackBody, java.util.function.Supplier<String> webhookBody) {
        List<String> warnings = new ArrayList<>();
        slack.ifPresent(u -> post("Slack", u, slackBody.get()).ifPresent(warnings::add));
        webhook.ifPresent(u -> post("webhook", u, webhookBody.get()).ifPresent(warnings::add));
        warnings.forEach(w -> log.warn("{}", w));
        return warnings;
    }

    private Optional<String> post(String what, URI uri, String body) {
        // The URL is the secret: a warning names the host at most.
        Redactor redactor = Redactor.standard().withSecrets(secrets());
        OkHttpClient client = Http.CLIENT.newBuilder().connectTimeout(timeout).callTimeout(timeout).build();
        try {
            Request request = new Request.Builder().url(uri.toString())
                    .post(RequestBody.create(body.getBytes(StandardCharsets.UTF_8), JSON_TYPE)).build();
            try (Response response = client.newCall(request).execute()) {
                if (response.code() / 100 != 2) {
                    return Optional.of(what + " notification to " + uri.getHost() + " failed: HTTP " + response.code()
                            + " " + redactor.redact(clip(response.body().string(), 200)) + " (the run's result is unaffected)");
                }
                return Optional.empty();
            }
        } catch (Exception e) {
            if (Thread.currentThread().isInterrupted()) {
                return Optional.of(what + " notification to " + uri.getHost() + " was interrupted");
            }
            return Optional.of(what + " notification to " + uri.getHost() + " failed: " + redactor.describe(e)
                    + " (the run's result is unaffected)");
        }
    }

    /** One client for every notification (OkHttp, as the probes; see docs/architecture.md), with no retry and no redirect. */
    private static final class Http {
        static final OkHttpClient CLIENT = new OkHttpClient.Builder().retryOnConnectionFailure(false).followRedirects(false).build();
    }

    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");

    static String slackRun(Journal j, String link) {
        ObjectNode root = JSON.createObjectNode();
        String emoji = j.lostWrites().isPresent() ? ":rotating_light:" : j.held() ? ":white_check_mark:" : ":x:";
        root.put("text", "faultline: " + j.experiment() + " " + j.outcome()); // notification fallback
        ArrayNode blocks = root.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text").put("text", clip("faultline: " + j.experiment() + " " + j.outcome(), 150));
        String outcome = (j.lostWrites().isPresent() ? "*ACKNOWLEDGED WRITES WERE LOST.* " : "") + emoji + " *" + j.outcome()
                + "*: " + j.reason();
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", clip(outcome, 2900));
        ObjectNode fields = blocks.addObject().put("type", "section");
        ArrayNode f = fields.putArray("fields");
        // Slack allows 10 fields per section
        for (Journal.VerdictEntry v : j.verdicts().stream().limit(8).toList()) {
            String mark = v.status().equals("HELD") ? ":white_check_mark:" : v.status().equals("FAILED") ? ":x:" : ":grey_question:";
            f.addObject().put("type", "mrkdwn").put("text", clip(mark + " *" + v.expectation() + "*\n" + v.reason(), 1900));
        }
        Journal.RecoveryEntry r = j.recovery();
        f.addObject().put("type", "mrkdwn").put("text", "*Recovery*\n" + (r.timeToRecoverMs() == null ? "not recovered"
                : Durations.words(r.timeToRecoverMs()) + " after the fault")
                + String.format(Locale.ROOT, ", availability %.1f%% by time, %.1f%% by call", r.availabilityByTime() * 100,
                        r.availabilityByCall() * 100));
        if (f.isEmpty()) {
            blocks.remove(blocks.size() - 1);
        }
        if (link != null && !link.isBlank()) {
            blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn")
                    .put("text", "Report: " + link + " · run " + j.runId());
        }
        return redactAll(root);
    }

    static String slackSuite(List<Journal> runs, String link) {
        ObjectNode root = JSON.createObjectNode();
        long held = runs.stream().filter(Journal::held).count();
        boolean lost = runs.stream().anyMatch(j -> j.lostWrites().isPresent());
        String title = "faultline suite: " + held + " of " + runs.size() + " held";
        root.put("text", title);
        ArrayNode blocks = root.putArray("blocks");
        blocks.addObject().put("type", "header").putObject("text").put("type", "plain_text").put("text", clip(title, 150));
        StringBuilder lines = new StringBuilder(lost ? "*ACKNOWLEDGED WRITES WERE LOST in at least one run.*\n" : "");
        for (Journal j : runs) {
            lines.append(j.held() ? ":white_check_mark: " : ":x: ").append('*').append(j.experiment()).append("* ")
                    .append(j.outcome()).append(": ").append(clip(j.reason(), 200)).append('\n');
        }
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", clip(lines.toString(), 2900));
        if (link != null && !link.isBlank()) {
            blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn")
                    .put("text", "Index: " + link);
        }
        return redactAll(root);
    }

    static String webhookRun(Journal j, String link) {
        return redactAll(summary(j, link));
    }

    static String webhookSuite(List<Journal> runs, String link) {
        ObjectNode root = JSON.createObjectNode();
        root.put("kind", "faultline.suite");
        root.put("schemaVersion", Journal.SCHEMA_VERSION);
        root.put("runs", runs.size());
        root.put("held", runs.stream().filter(Journal::held).count());
        root.put("writesLost", runs.stream().anyMatch(j -> j.lostWrites().isPresent()));
        if (link != null) {
            root.put("index", link);
        }
        ArrayNode a = root.putArray("results");
        runs.forEach(j -> a.add(summary(j, null)));
        return redactAll(root);
    }

    /** The journal's summary: outcome, verdicts and recovery, not the timeline. */
    private static ObjectNode summary(Journal j, String link) {
        ObjectNode root = JSON.createObjectNode();
        root.put("kind", "faultline.run");
        root.put("schemaVersion", j.schemaVersion());
        root.put("runId", j.runId());
        root.put("experiment", j.experiment());
        root.put("outcome", j.outcome());
        root.put("reason", j.reason());
        root.put("writesLost", j.lostWrites().isPresent());
        root.put("startedAt", j.startedAt());
        root.put("durationMs", j.durationMs());
        ArrayNode v = root.putArray("verdicts");
        j.verdicts().forEach(x -> v.addObject().put("expectation", x.expectation()).put("status", x.status())
                .put("reason", x.reason()));
        root.set("recovery", JSON.valueToTree(j.recovery()));
        if (link != null) {
            root.put("report", link);
        }
        return root;
    }

    private static String redactAll(ObjectNode node) {
        try {
            // Payloads quote reasons and log samples: they get the same redaction as the report.
            return Redactor.standard().redact(JSON.writeValueAsString(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static URI uri(String argument, String url) {
        Objects.requireNonNull(url, argument);
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(argument + " must be an http(s) URL, got a value that does not parse "
                    + "(not shown: webhook URLs are secrets)");
        }
        if (!("https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme())) || u.getHost() == null) {
            throw new IllegalArgumentException(argument + " must be an http(s) URL with a host, got scheme '"
                    + u.getScheme() + "' (the URL itself is not shown: webhook URLs are secrets)");
        }
        return u;
    }

    private static String clip(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    @Override
    public String toString() {
        return "Notifier[slack=" + (slack.isPresent() ? "set" : "unset") + ", webhook="
                + (webhook.isPresent() ? "set" : "unset") + "]";
    }
}
