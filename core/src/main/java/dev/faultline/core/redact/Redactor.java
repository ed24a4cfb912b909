package dev.faultline.core.redact;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secrets in text by {@value #MASK}. The patterns cover what a Compose stack's logs,
 * environment and faultline's own configuration can carry; {@link #withSecrets(Collection)} adds
 * literal values known to be secret (a webhook URL given in code, an environment value), which are
 * masked wherever they appear, whatever surrounds them.
 *
 * <p>Immutable and thread-safe. {@link #standard()} is what every writer uses by default.
 */
public final class Redactor {

    public static final String MASK = "***";

    /** Environment variable names whose values are secret (DJANGO_SECRET_KEY, POSTGRES_PASSWORD, ...). */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i)[A-Z0-9_]*(SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|APIKEY|WEBHOOK|PRIVATE_KEY|CREDENTIALS?)[A-Z0-9_]*");

    private static final List<Rule> RULES = List.of(
            // scheme://user:password@host — postgres://, postgresql://, redis://, amqp://, http://
            new Rule(Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]{1,20}://[^\\s:/@'\"]*:)([^\\s@'\"/]+)(@)"), "$1" + MASK + "$3"),
            // libpq keyword DSNs and key=value configs: password=..., passwd: ..., "password": "..."
            new Rule(Pattern.compile("(?i)(\"?\\b(?:password|passwd|pwd|secret_key|secret|token|api_key)\"?\\s*[=:]\\s*\"?)([^\\s\"',;&}]+)"),
                    "$1" + MASK),
            // HTTP headers, in logs and dumped requests
            new Rule(Pattern.compile("(?i)\\b((?:proxy-)?authorization\\s*[:=]\\s*(?:(?:bearer|basic|token|digest)\\s+)?)([^\\s,;\"']+)"),
                    "$1" + MASK),
            new Rule(Pattern.compile("(?i)\\b((?:set-)?cookie)(\\s*[:=]\\s*)([^\\r\\n\"]+)"), "$1$2" + MASK),
            // Slack and other incoming-webhook URLs carry their secret in the path
            new Rule(Pattern.compile("(?i)https://hooks\\.slack\\.com/[^\\s\"'<>)]+"), "https://hooks.slack.com/" + MASK),
            new Rule(Pattern.compile("(?i)https://[a-z0-9.-]*(?:webhook\\.office\\.com|discord(?:app)?\\.com/api/webhooks)/[^\\s\"'<>)]+"),
                    "https://" + MASK),
            // NAME=value environment assignments whose name says secret (docker inspect, env dumps)
            new Rule(Pattern.compile("(?i)\\b((?:[A-Z0-9_]*(?:SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|WEBHOOK)[A-Z0-9_]*)\\s*=\\s*)([^\\s\"',;]+)"),
                    "$1" + MASK));

    private static final Redactor STANDARD = new Redactor(List.of());

    private final List<String> literals; // longest first, so a secret containing another is masked whole

    private Redactor(List<String> literals) {
        this.literals = literals;
    }

    /** The pattern rules only. */
    public static Redactor standard() {
        return STANDARD;
    }

    /** Redacts {@code text} with the pattern rules; null stays null. */
    public static String redactText(String text) {
        return STANDARD.redact(text);
    }

    /**
     * A redactor that also masks these literal values. Blank values and values shorter than 4
     * characters are ignored: masking every "1" or "on" in a log would destroy it and protect nothing.
     */
    public Redactor withSecrets(Collection<String> secrets) {
        Objects.requireNonNull(secrets, "secrets");
        List<String> all = new ArrayList<>(literals);
        for (String s : secrets) {
            if (s != null && s.strip().length() >= 4 && !all.contains(s)) {
                all.add(s);
            }
        }
        all.sort(Comparator.comparingInt(String::length).reversed());
        return new Redactor(List.copyOf(all));
    }

    /**
     * Adds the values of environment entries whose names say they are secret ("DJANGO_SECRET_KEY",
     * "POSTGRES_PASSWORD", "FAULTLINE_SLACK_WEBHOOK"), e.g. from {@code System.getenv()} or a
     * container's configuration.
     */
    public Redactor withSecretsFrom(java.util.Map<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        List<String> values = new ArrayList<>();
        environment.forEach((k, v) -> {
            if (k != null && SECRET_NAME.matcher(k).matches()) {
                values.add(v);
            }
        });
        return withSecrets(values);
    }

    /** Whether an environment variable of this name holds a secret by its name. */
    public static boolean isSecretName(String name) {
        return name != null && SECRET_NAME.matcher(name).matches();
    }

    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String literal : literals) {
            out = out.replace(literal, MASK);
        }
        for (Rule rule : RULES) {
            out = rule.apply(out);
        }
        return out;
    }

    /** The message of {@code error} and its causes, redacted: for logging a failure that may quote a URL or a DSN. */
    public String describe(Throwable error) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (out.length() > 0) {
                out.append(": ");
            }
            out.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                out.append(' ').append(t.getMessage());
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return redact(out.toString());
    }

    @Override
    public String toString() {
        // Never the secrets themselves: only how many there are.
        return "Redactor[patterns=" + RULES.size() + ", literals=" + literals.size() + "]";
    }

    private record Rule(Pattern pattern, String replacement) {
        String apply(String text) {
            Matcher m = pattern.matcher(text);
            return m.find() ? m.replaceAll(replacement) : text;
        }
    }
}
