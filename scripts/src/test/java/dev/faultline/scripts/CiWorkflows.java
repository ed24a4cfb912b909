package dev.faultline.scripts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands in docs/ci's two workflow files, by a small line-based reading (no YAML library on
 * the class path): GitHub's single-line {@code run:} steps, GitLab's {@code script:} list.
 */
final class CiWorkflows {

    static final Path REPO = Path.of("").toAbsolutePath().getParent();
    static final Path GITHUB = REPO.resolve("docs/ci/github-actions.yml");
    static final Path GITLAB = REPO.resolve("docs/ci/gitlab-ci.yml");

    private CiWorkflows() {}

    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }

    /** Every {@code run: <command>} of a GitHub workflow, in order. */
    static List<String> githubRuns(List<String> lines) {
        List<String> runs = new ArrayList<>();
        for (String line : lines) {
            String t = line.strip();
            if (t.startsWith("- ")) t = t.substring(2).strip();
            if (t.startsWith("run:")) {
                String command = t.substring("run:".length()).strip();
                if (command.isEmpty() || command.equals("|") || command.equals(">")) {
                    throw new IllegalArgumentException("multi-line run: blocks are not read here: " + line);
                }
                runs.add(command);
            }
        }
        return runs;
    }

    /** The items of a GitLab job's {@code <key>:} list ("script", "after_script"), in order. */
    static List<String> gitlabList(List<String> lines, String key) {
        List<String> items = new ArrayList<>();
        boolean inside = false;
        int indent = -1;
        for (String line : lines) {
            if (line.isBlank() || line.strip().startsWith("#")) continue;
            int lineIndent = line.length() - line.stripLeading().length();
            if (line.strip().equals(key + ":")) {
                inside = true;
                indent = lineIndent;
                continue;
            }
            if (inside) {
                if (lineIndent <= indent) {
                    inside = false;
                } else if (line.strip().startsWith("- ")) {
                    items.add(line.strip().substring(2).strip());
                }
            }
        }
        return items;
    }
}
