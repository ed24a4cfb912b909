package dev.faultline.core.logs;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A message one component writes, with what it means for the people running the stack.
 *
 * @param id      stable name used in journals and tests ("nginx.upstream-refused")
 * @param kind    whether the line reports an error, a user-facing 5xx in an access log, or a lifecycle step
 * @param meaning one sentence for the report ("nginx could not connect to web: nothing listened")
 */
public record LogPattern(String id, Component component, Kind kind, Pattern regex, String meaning) {

    public enum Kind {
        /** The line reports a failure: counts towards error visibility. */
        ERROR,
        /**
         * An access-log line of a request that failed for its user (a 5xx, or a 499: the client gave
         * up waiting): users saw it, but it names no cause.
         */
        ACCESS_FAILED,
        /** A start, stop or recovery step: useful for the story, not an error. */
        LIFECYCLE
    }

    public LogPattern {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(regex, "regex");
        Objects.requireNonNull(meaning, "meaning");
    }

    public static LogPattern of(String id, Component component, Kind kind, String regex, String meaning) {
        return new LogPattern(id, component, kind, Pattern.compile(regex), meaning);
    }

    public boolean matches(String line) {
        return regex.matcher(line).find();
    }
}
