package dev.faultline.dsl;

import java.time.Duration;
import java.util.regex.Pattern;

/** Eager argument checks: each message names the argument, the value and the allowed range. */
final class Args {

    private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    private Args() {}

    static String service(String argument, String value) {
        if (value == null || !SERVICE.matcher(value).matches()) {
            throw new IllegalArgumentException(argument + " must be a Compose service name (letters, digits, '_', '.', '-'; "
                    + "1 to 63 characters), got " + quoted(value));
        }
        return value;
    }

    static String project(String value) {
        if (value == null || !PROJECT.matcher(value).matches()) {
            throw new IllegalArgumentException("project must be a Compose project name (lower-case letters, digits, '_', '-'; "
                    + "1 to 63 characters), got " + quoted(value));
        }
        return value;
    }

    /** A swarm stack's name: as {@code docker stack deploy} takes it, the same characters as a Compose project. */
    static String stack(String value) {
        if (value == null || !PROJECT.matcher(value).matches()) {
            throw new IllegalArgumentException("stack must be a stack name (lower-case letters, digits, '_', '-'; "
                    + "1 to 63 characters), got " + quoted(value));
        }
        return value;
    }

    static Duration positive(String argument, Duration value, Duration max) {
        if (value == null || value.isZero() || value.isNegative() || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(argument + " must be in (0, " + max + "], got " + value);
        }
        return value;
    }

    static Duration notNegative(String argument, Duration value, Duration max) {
        if (value == null || value.isNegative() || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(argument + " must be in [0, " + max + "], got " + value);
        }
        return value;
    }

    static int between(String argument, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(argument + " must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    static double between(String argument, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(argument + " must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    static String text(String argument, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(argument + " must be non-blank, got " + quoted(value));
        }
        return value;
    }

    static String httpUrl(String argument, String value) {
        if (value == null || !(value.startsWith("http://") || value.startsWith("https://"))) {
            throw new IllegalArgumentException(argument + " must be an http:// or https:// URL, got " + quoted(value));
        }
        try {
            java.net.URI uri = new java.net.URI(value);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException(argument + " must name a host, got " + quoted(value));
            }
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(argument + " must be an http:// or https:// URL, got " + quoted(value)
                    + ": " + e.getReason());
        }
        return value;
    }

    static <T> T notNull(String argument, T value) {
        if (value == null) {
            throw new IllegalArgumentException(argument + " must not be null");
        }
        return value;
    }

    /** The value as a message shows it: quoted, and cut short when huge (hostile input must not flood a log). */
    static String quoted(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 100 ? "'" + s + "'" : "'" + s.substring(0, 60) + "...' (" + s.length() + " characters)";
    }

    /** Non-blank and at most {@code max} characters. */
    static String text(String argument, String value, int max) {
        text(argument, value);
        if (value.length() > max) {
            throw new IllegalArgumentException(argument + " must be at most " + max + " characters, got " + quoted(value));
        }
        return value;
    }
}
