package dev.faultline.core.steadystate;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people type them in environment variables: "500ms", "2s", "1.5s", "5m", "1h", "0", or ISO-8601 "PT2S". */
public final class Durations {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    private Durations() {}

    /**
     * @param parameter named in the error message, e.g. "FAULTLINE_INTERVAL"
     * @throws IllegalArgumentException naming the parameter, the value and the accepted forms
     */
    public static Duration parse(String parameter, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(parameter + " must be a duration such as 500ms, 2s, 5m or PT2S, got nothing");
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.startsWith("pt") || v.startsWith("p")) {
            try {
                Duration d = Duration.parse(v.toUpperCase(Locale.ROOT));
                if (d.isNegative()) throw new IllegalArgumentException(parameter + " must not be negative, got '" + value + "'");
                return d;
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(parameter + " must be a duration such as 500ms, 2s, 5m or PT2S, got '" + value + "'", e);
            }
        }
        Matcher m = SIMPLE.matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException(parameter + " must be a duration such as 500ms, 2s, 5m or PT2S, got '" + value + "'");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double nanos = amount * switch (unit) {
            case "ms" -> 1e6;
            case "m" -> 60e9;
            case "h" -> 3600e9;
            default -> 1e9;
        };
        if (nanos > Long.MAX_VALUE / 2.0) {
            throw new IllegalArgumentException(parameter + " is too long, got '" + value + "'");
        }
        return Duration.ofNanos(Math.round(nanos));
    }
}
