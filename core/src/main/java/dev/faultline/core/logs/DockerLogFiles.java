package dev.faultline.core.logs;

import dev.faultline.core.engine.LogLine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads and writes logs in the format of {@code docker logs --timestamps}: one line per log line,
 * the engine's RFC 3339 timestamp, a space, the text. A run folder's {@code logs/<service>.log}
 * files use it, so they can be read by people and re-analysed by {@code analyze-logs.jsh}.
 */
public final class DockerLogFiles {

    private DockerLogFiles() {}

    /** Parses lines; a line without a leading timestamp (a wrapped continuation) takes the previous one's time. */
    public static List<LogLine> parse(List<String> lines, String containerId) {
        List<LogLine> out = new ArrayList<>(lines.size());
        Instant last = Instant.EPOCH;
        for (String raw : lines) {
            if (raw.isEmpty()) {
                continue;
            }
            int space = raw.indexOf(' ');
            Instant time = null;
            if (space > 0 && raw.charAt(0) >= '0' && raw.charAt(0) <= '9') {
                try {
                    time = Instant.parse(raw.substring(0, space));
                } catch (DateTimeParseException e) {
                    time = null;
                }
            }
            if (time == null) {
                out.add(new LogLine(last, containerId, false, raw));
            } else {
                last = time;
                out.add(new LogLine(time, containerId, false, raw.substring(space + 1)));
            }
        }
        return out;
    }

    public static List<LogLine> read(Path file) {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read log file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every {@code <service>.log} in {@code folder}, by service name. */
    public static Map<String, List<LogLine>> readFolder(Path folder) {
        Map<String, List<LogLine>> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().forEach(f -> {
                String name = f.getFileName().toString();
                out.put(name.substring(0, name.length() - ".log".length()), read(f));
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list log folder " + folder + ": " + e.getMessage(), e);
        }
        return out;
    }

    public static String format(List<LogLine> lines) {
        StringBuilder out = new StringBuilder();
        for (LogLine l : lines) {
            out.append(l.time()).append(' ').append(l.text().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
