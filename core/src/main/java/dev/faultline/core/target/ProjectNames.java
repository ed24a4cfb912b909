package dev.faultline.core.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How Compose names a project, so that faultline finds the same containers {@code docker compose}
 * (v2) or {@code docker-compose} (v1) made from the same folder.
 *
 * <p>Order, as Compose resolves it: an explicit name &gt; {@code COMPOSE_PROJECT_NAME} in the
 * environment &gt; {@code COMPOSE_PROJECT_NAME} in the folder's {@code .env} &gt; the folder's name.
 * Compose v2 and docker-compose 1.21+ normalise a folder name one way, older docker-compose
 * another, so both forms are candidates.
 */
public final class ProjectNames {

    private static final Pattern V2_KEEP = Pattern.compile("[a-z0-9_-]");
    private static final Pattern ENV_LINE = Pattern.compile("^\\s*(?:export\\s+)?COMPOSE_PROJECT_NAME\\s*=\\s*(.*?)\\s*$");

    private ProjectNames() {}

    /** A project name to try and where it came from ("COMPOSE_PROJECT_NAME in the environment", ...). */
    public record Candidate(String name, String source) {
        @Override
        public String toString() {
            return "'" + name + "' (" + source + ")";
        }
    }

    /**
     * Compose v2 (and docker-compose v1 since 1.21, measured with 1.29): lowercase, keep
     * {@code [a-z0-9_-]}, drop leading {@code _} and {@code -}.
     */
    public static String v2(String folderName) {
        Matcher m = V2_KEEP.matcher(folderName.toLowerCase(Locale.ROOT));
        StringBuilder kept = new StringBuilder();
        while (m.find()) kept.append(m.group());
        int start = 0;
        while (start < kept.length() && (kept.charAt(start) == '_' || kept.charAt(start) == '-')) start++;
        return kept.substring(start);
    }

    /** docker-compose v1 before 1.21: lowercase, keep only {@code [a-z0-9]}. */
    public static String v1(String folderName) {
        return folderName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    /**
     * The names Compose would use for {@code folder}, in the order to try them: when a name is set
     * (environment or .env) only that name (and its v1 form, as docker-compose 1.x normalises it
     * too); otherwise the folder's v2 name, then its v1 name.
     */
    public static List<Candidate> candidates(Path folder, Map<String, String> environment) {
        List<Candidate> result = new ArrayList<>();
        String fromEnv = environment.get("COMPOSE_PROJECT_NAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            addSet(result, fromEnv.trim(), "COMPOSE_PROJECT_NAME in the environment");
            return List.copyOf(result);
        }
        Optional<String> fromFile = dotEnvProjectName(folder.resolve(".env"));
        if (fromFile.isPresent()) {
            addSet(result, fromFile.get(), "COMPOSE_PROJECT_NAME in " + folder.resolve(".env"));
            return List.copyOf(result);
        }
        Path abs = folder.toAbsolutePath().normalize();
        String folderName = abs.getFileName() == null ? "" : abs.getFileName().toString();
        String v2 = v2(folderName);
        String v1 = v1(folderName);
        if (!v2.isEmpty()) result.add(new Candidate(v2, "folder " + abs + ", as Compose names it"));
        if (!v1.isEmpty() && !v1.equals(v2)) result.add(new Candidate(v1, "folder " + abs + ", as docker-compose before 1.21 named it"));
        return List.copyOf(result);
    }

    private static void addSet(List<Candidate> result, String name, String source) {
        result.add(new Candidate(name, source));
        String v1 = v1(name);
        if (!v1.isEmpty() && !v1.equals(name)) result.add(new Candidate(v1, source + ", as docker-compose before 1.21 normalised it"));
    }

    /** COMPOSE_PROJECT_NAME from a .env file (quotes stripped, comments ignored); empty when absent. */
    static Optional<String> dotEnvProjectName(Path dotEnv) {
        if (!Files.isRegularFile(dotEnv)) return Optional.empty();
        List<String> lines;
        try {
            lines = Files.readAllLines(dotEnv);
        } catch (IOException e) {
            return Optional.empty(); // Compose would fail loudly; for discovery an unreadable .env is "not set"
        }
        String found = null;
        for (String line : lines) {
            Matcher m = ENV_LINE.matcher(line);
            if (m.matches()) {
                String value = m.group(1);
                if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                    value = value.substring(1, value.length() - 1);
                } else {
                    int hash = value.indexOf(" #");
                    if (hash >= 0) value = value.substring(0, hash).trim();
                }
                found = value; // the last assignment wins, as in a shell
            }
        }
        return found == null || found.isBlank() ? Optional.empty() : Optional.of(found.trim());
    }
}
