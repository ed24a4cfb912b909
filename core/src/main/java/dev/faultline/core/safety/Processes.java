package dev.faultline.core.safety;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process's identity on this host: its pid plus its start time in clock ticks since boot (field 22
 * of {@code /proc/<pid>/stat}), so that a pid reused by another process never passes for the JVM.
 */
final class Processes {

    private Processes() {}

    /** Empty when the process does not exist or there is no {@code /proc} (not Linux). */
    static Optional<String> startTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) is in parentheses and may hold spaces: count from after it
            String rest = stat.substring(stat.lastIndexOf(')') + 2);
            String[] fields = rest.split(" ");
            return fields.length > 19 ? Optional.of(fields[19]) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
