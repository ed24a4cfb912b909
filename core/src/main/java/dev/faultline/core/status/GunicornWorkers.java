package dev.faultline.core.status;

import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts Gunicorn workers from a container's process list. Gunicorn runs one master plus N
 * workers; without setproctitle they all share the master's command line, so the count of
 * Gunicorn processes minus one is the truth, whatever configured it (flags, GUNICORN_CMD_ARGS,
 * WEB_CONCURRENCY, a config file).
 */
final class GunicornWorkers {

    /** Lists command lines with ps where it exists, else straight from /proc (slim images lack procps). */
    static final List<String> LIST_PROCESSES = List.of("sh", "-c",
            "if command -v ps >/dev/null 2>&1; then ps -eo args; "
                    + "else for f in /proc/[0-9]*/cmdline; do tr '\\000' ' ' < \"$f\" 2>/dev/null; echo; done; fi");

    private static final Pattern WORKERS_FLAG = Pattern.compile("(?:--workers[= ]|-w ?)(\\d+)");

    private GunicornWorkers() {}

    /** Workers seen in a process listing (one command line per line); empty when no Gunicorn runs. */
    static OptionalInt count(String processList) {
        int gunicorn = 0;
        String master = "";
        for (String line : processList.split("\n")) {
            String l = line.toLowerCase(Locale.ROOT).trim();
            if (l.isEmpty() || l.startsWith("ps ") || l.startsWith("sh -c")) continue;
            if (l.contains("gunicorn")) {
                if (gunicorn++ == 0) master = l;
            }
        }
        if (gunicorn == 0) return OptionalInt.empty();
        if (gunicorn == 1) {
            // Only the master: workers are (re)booting; its flags say how many it will run.
            return configured(master).isPresent() ? configured(master) : OptionalInt.of(0);
        }
        return OptionalInt.of(gunicorn - 1);
    }

    /** Workers asked for on a command line ({@code --workers 3}, {@code -w3}); empty when not given. */
    static OptionalInt configured(String commandLine) {
        Matcher m = WORKERS_FLAG.matcher(commandLine);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }
}
