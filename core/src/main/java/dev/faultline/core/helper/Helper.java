package dev.faultline.core.helper;

import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.ExecResult;
import dev.faultline.core.engine.LogLine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** A running (or finished) helper container. */
public record Helper(Engine engine, String id, String name, HelperRequest request) {

    public ExecResult exec(List<String> command, Duration timeout) {
        return engine.exec(id, command, timeout);
    }

    public Optional<Integer> waitForExit(Duration timeout) {
        return engine.waitForExit(id, timeout);
    }

    /** Everything the helper wrote, stdout and stderr, one string. */
    public String output() {
        List<LogLine> lines = engine.logs(id, Instant.EPOCH, Instant.now().plusSeconds(1));
        return lines.stream().map(LogLine::text).map(String::strip).collect(Collectors.joining("\n"));
    }

    /** Force-removes the helper; idempotent (a helper already gone is fine). */
    public void remove() {
        engine.remove(id, true);
    }

    public String shortId() {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
