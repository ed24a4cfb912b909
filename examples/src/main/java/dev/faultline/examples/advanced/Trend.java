package dev.faultline.examples.advanced;

import dev.faultline.core.time.Durations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * How each experiment's outcome and recovery time moved across game days: reads every
 * {@code <results>/suite-<yyyyMMdd-HHmmss>/suite.tsv} that {@link GameDay} wrote (the names sort by time) and
 * compares each experiment of the latest run with its previous runs.
 */
public final class Trend {

    /** One experiment in one run, as read back. */
    public record Entry(String runId, String id, String name, int exitCode, String outcome, Optional<Long> recoveryMillis) {}

    private final List<String> runs;
    private final Map<String, List<Entry>> byExperiment;

    private Trend(List<String> runs, Map<String, List<Entry>> byExperiment) {
        this.runs = List.copyOf(runs);
        this.byExperiment = byExperiment;
    }

    /** Every run under {@code root}; a missing folder is no runs. Unreadable lines are skipped, not fatal. */
    public static Trend read(Path root) {
        List<String> runs = new ArrayList<>();
        Map<String, List<Entry>> byExperiment = new LinkedHashMap<>();
        if (!Files.isDirectory(root)) {
            return new Trend(runs, byExperiment);
        }
        List<Path> files;
        try (Stream<Path> folders = Files.list(root)) {
            files = folders.map(f -> f.resolve(GameDay.SUMMARY_FILE)).filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("could not list the results in " + root, e);
        }
        for (Path file : files) {
            String runId = file.getParent().getFileName().toString();
            runs.add(runId);
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("could not read " + file, e);
            }
            for (String line : lines) {
                if (line.startsWith("#") || line.startsWith("id\t") || line.isBlank()) continue;
                String[] f = line.split("\t", -1);
                if (f.length < 6) continue;
                try {
                    Optional<Long> recovery = f[4].equals("-") ? Optional.empty() : Optional.of(Long.parseLong(f[4]));
                    byExperiment.computeIfAbsent(f[0], k -> new ArrayList<>())
                            .add(new Entry(runId, f[0], f[1], Integer.parseInt(f[2]), f[3], recovery));
                } catch (NumberFormatException e) {
                    // a line from another version of the file: not a reason to lose the whole trend
                }
            }
        }
        return new Trend(runs, byExperiment);
    }

    public List<String> runs() {
        return runs;
    }

    /** Each experiment's entries, oldest first. */
    public Map<String, List<Entry>> byExperiment() {
        return Map.copyOf(byExperiment);
    }

    /** One line per experiment: its outcomes over the runs (oldest first) and how the latest recovery compares with the one before. */
    public String table() {
        if (runs.isEmpty()) {
            return "trend: no previous runs\n";
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "trend over %d run(s), %s .. %s%n", runs.size(),
                runs.get(0), runs.get(runs.size() - 1)));
        out.append(String.format(Locale.ROOT, "%-14s %-32s %-28s %s%n", "id", "experiment", "outcomes (oldest first)",
                "recovery, latest vs previous"));
        byExperiment.forEach((id, entries) -> {
            Entry latest = entries.get(entries.size() - 1);
            String outcomes = String.join(" ", entries.stream().skip(Math.max(0, entries.size() - 6))
                    .map(e -> e.outcome().substring(0, Math.min(4, e.outcome().length()))).toList());
            out.append(String.format(Locale.ROOT, "%-14s %-32s %-28s %s%n", id, latest.name(), outcomes,
                    recoveryMove(entries)));
        });
        return out.toString();
    }

    private static String recoveryMove(List<Entry> entries) {
        Entry latest = entries.get(entries.size() - 1);
        Optional<Entry> previous = entries.size() < 2 ? Optional.empty()
                : entries.subList(0, entries.size() - 1).stream().filter(e -> e.recoveryMillis().isPresent())
                        .reduce((a, b) -> b);
        String now = latest.recoveryMillis().map(Durations::words).orElse("-");
        if (latest.recoveryMillis().isEmpty() || previous.isEmpty()) {
            return now;
        }
        long delta = latest.recoveryMillis().get() - previous.get().recoveryMillis().get();
        String direction = Math.abs(delta) < 100 ? "same" : delta > 0 ? "slower" : "faster";
        return String.format(Locale.ROOT, "%s (was %s, %s%s, %s)", now, Durations.words(previous.get().recoveryMillis().get()),
                delta >= 0 ? "+" : "-", Durations.words(Math.abs(delta)), direction);
    }

}
