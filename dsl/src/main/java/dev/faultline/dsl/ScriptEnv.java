package dev.faultline.dsl;

import dev.faultline.core.cli.Settings;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A script's own parameters, read from environment variables:
 * {@code FAULTLINE_WEB_SERVICE=app jshell scripts/01-gunicorn-kill.jsh}. A variable that is unset or blank takes the
 * script's default; a number outside its range is refused with an exception that names the variable, the range and
 * what it held, before the script touches anything. (faultline's own settings, such as {@code FAULTLINE_RATE}, are
 * parsed by {@link Settings}.)
 *
 * <p>The scripts call these rather than declaring helper methods of their own: every method a JShell script declares
 * is one more snippet that jshell compiles before the experiment starts (about 0.1 s each on a 2-core machine).
 */
public final class ScriptEnv {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,99}");

    private ScriptEnv() {}

    /** The variable's value, stripped, or {@code fallback} when it is unset or blank. */
    public static String text(String name, String fallback) {
        return text(System.getenv(), name, fallback);
    }

    /** The variable as a whole number in {@code [min, max]}, or {@code fallback} when it is unset or blank. */
    public static int number(String name, int fallback, int min, int max) {
        return number(System.getenv(), name, fallback, min, max);
    }

    /** The variable as whole seconds in {@code [min, max]} ({@code min} at least 0), or {@code fallback} when unset or blank. */
    public static int seconds(String name, int fallback, int min, int max) {
        return seconds(System.getenv(), name, fallback, min, max);
    }

    static String text(Map<String, String> env, String name, String fallback) {
        if (fallback == null) {
            throw new IllegalArgumentException("fallback must not be null (an empty string is allowed)");
        }
        return value(env, name, fallback);
    }

    static int number(Map<String, String> env, String name, int fallback, int min, int max) {
        checkName(name);
        checkRange(name, fallback, min, max);
        String text = value(env, name, null);
        return text == null ? fallback : Settings.wholeNumber(name, text, min, max);
    }

    static int seconds(Map<String, String> env, String name, int fallback, int min, int max) {
        if (min < 0) {
            throw new IllegalArgumentException("min must be at least 0 seconds, got " + min);
        }
        checkName(name);
        checkRange(name, fallback, min, max);
        String text = value(env, name, null);
        return text == null ? fallback : Settings.wholeSeconds(name, text, min, max);
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        checkName(name);
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be an environment variable's name (letters, digits, '_', not "
                    + "starting with a digit; 1 to 100 characters), got " + Args.quoted(name));
        }
    }

    // Refused whether or not the variable is set, so that a script's impossible default shows on its first run. A
    // range can depend on another parameter (a jitter at most the latency), hence the variable's name in the message.
    private static void checkRange(String name, int fallback, int min, int max) {
        if (min > max) {
            throw new IllegalArgumentException("min must be at most max (" + max + "), got " + min);
        }
        if (fallback < min || fallback > max) {
            throw new IllegalArgumentException("the default of " + name + " must be in [" + min + ", " + max + "], got "
                    + fallback + ": set " + name);
        }
    }
}
