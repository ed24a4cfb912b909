package dev.faultline.core.fault;

import java.time.Duration;

/** Eager argument checks shared by the faults: each message names the argument, its value and what is allowed. */
final class Checks {

    private Checks() {}

    static String service(String service) {
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException("service must be a non-blank Compose service name, got " + shown(service));
        }
        return service;
    }

    static String text(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be non-blank, got " + shown(value));
        }
        return value;
    }

    static Duration positive(String name, Duration value, Duration max) {
        if (value == null || value.isNegative() || value.isZero() || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be in (0, " + max + "], got " + value);
        }
        return value;
    }

    static Duration between(String name, Duration value, Duration min, Duration max) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    static int between(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    /** The value as a message shows it: quoted, and cut short when huge (hostile input must not flood a log). */
    static String shown(String s) {
        return s == null || s.length() <= 100 ? "'" + s + "'" : "'" + s.substring(0, 60) + "...' (" + s.length() + " characters)";
    }
}
