package dev.faultline.core.logs;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.LogLine;
import dev.faultline.core.target.Targets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches every service's log lines for a time window from the engine. A service whose logs
 * cannot be read (its container removed meanwhile) is logged and left out: missing logs must not
 * fail a report.
 */
public final class LogCapture {

    private static final Logger log = LoggerFactory.getLogger(LogCapture.class);

    private LogCapture() {}

    public static Map<String, List<LogLine>> capture(Engine engine, Targets targets, Instant since, Instant until) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        Map<String, List<LogLine>> out = new LinkedHashMap<>();
        for (String service : targets.services()) {
            List<LogLine> lines = new ArrayList<>();
            try {
                for (ContainerInfo c : targets.containers(service)) {
                    lines.addAll(engine.logs(c.id(), since, until));
                }
            } catch (RuntimeException e) {
                log.warn("logs of service {} could not be read: {}", service, e.toString());
                continue;
            }
            lines.sort(Comparator.comparing(LogLine::time));
            out.put(service, List.copyOf(lines));
        }
        return out;
    }
}
