package dev.faultline.core.safety;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One run's record on disk of every change its faults made: a JSON Lines file
 * {@code <state dir>/<run id>.jsonl}. Each change is written as an {@code intent} line (run id, JVM
 * pid, fault, target, how to undo it) <em>before</em> it is made, {@code confirmed} after, and
 * {@code reverted} when undone, so that a JVM killed between the two still leaves enough to undo
 * it. The reaper and {@link Recover} read it; nothing else is needed to clean up after a dead JVM.
 *
 * <p>A run that ends normally with nothing left open moves its ledger into {@value #ENDED}/ under the
 * state folder: history, which no later run needs to read. Every run's start reads the ledgers left in
 * the state folder itself (those of runs that died or left something open); read all of a week's
 * history instead, that took 215-250 ms of a fresh JVM's first run with 197 ledgers (BENCHMARKS.md §4).
 *
 * <p>The state folder is {@value #DIR_PROPERTY} if set, else {@code $XDG_STATE_HOME/faultline},
 * else {@code ~/.local/state/faultline}. Lines are written unbuffered (each reaches the OS before
 * the change is made, which survives the JVM's death; a power cut is out of scope). A pause, as written:
 *
 * <pre>
 * {"type":"run","at":"...","runId":"db-pause-3f2a","pid":4242,"pidStart":"183245","host":"ci-1"}
 * {"type":"intent","at":"...","seq":1,"runId":"db-pause-3f2a","pid":4242,"fault":"pause","targetId":"9c1e...",
 *  "targetName":"shop-db-1","undo":{"action":"unpause","containerId":"9c1e...","containerName":"shop-db-1",
 *  "quota":0,"period":0,"comment":""}}
 * {"type":"confirmed","at":"...","seq":1}
 * {"type":"reverted","at":"...","seq":1,"by":"revert"}
 * {"type":"end","at":"..."}
 * </pre>
 */
public final class Ledger {

    /** System property naming the state folder, e.g. for tests. */
    public static final String DIR_PROPERTY = "faultline.state.dir";

    /** The subfolder of the state folder holding the ledgers of runs that ended with nothing open. */
    public static final String ENDED = "ended";

    private static final ObjectMapper JSON = new ObjectMapper();

    private volatile Path file;
    /** Entries this ledger wrote an intent for and no revert yet (the reaper and recover write only after this JVM is gone). */
    private final Set<Long> open = new LinkedHashSet<>();
    private final String runId;
    private final long pid;
    private final String pidStart;
    private long seq;

    private Ledger(Path file, String runId, long pid, String pidStart) {
        this.file = file;
        this.runId = runId;
        this.pid = pid;
        this.pidStart = pidStart;
    }

    /** The state folder as configured now (see the class comment). */
    public static Path directory() {
        String configured = System.getProperty(DIR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String xdg = System.getenv("XDG_STATE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "faultline");
        }
        return Path.of(System.getProperty("user.home"), ".local", "state", "faultline");
    }

    /** The file name of a run's ledger: the run id with anything outside [A-Za-z0-9_.-] replaced. */
    static String fileName(String runId) {
        return runId.replaceAll("[^A-Za-z0-9_.-]", "-") + ".jsonl";
    }

    /** Creates the run's ledger in {@link #directory()} and writes its first line (run id, this JVM's pid and start time). */
    public static Ledger create(String runId) {
        return create(directory(), runId);
    }

    public static Ledger create(Path dir, String runId) {
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("runId must be non-blank, got '" + runId + "'");
        }
        long pid = ProcessHandle.current().pid();
        Ledger ledger = new Ledger(dir.resolve(fileName(runId)), runId, pid, Processes.startTicks(pid).orElse(""));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the ledger folder " + dir
                    + "; choose another with -D" + DIR_PROPERTY + "=<folder>", e);
        }
        Map<String, Object> line = line("run");
        line.put("runId", runId);
        line.put("pid", pid);
        line.put("pidStart", ledger.pidStart);
        line.put("host", hostName());
        ledger.append(line);
        return ledger;
    }

    public Path file() {
        return file;
    }

    public String runId() {
        return runId;
    }

    /** Before a change: what will be changed and how to undo it; returns the entry's number. */
    public synchronized long intent(String fault, String targetId, String targetName, Undo undo) {
        long n = ++seq;
        open.add(n);
        Map<String, Object> line = line("intent");
        line.put("seq", n);
        line.put("runId", runId);
        line.put("pid", pid);
        line.put("fault", fault);
        line.put("targetId", targetId);
        line.put("targetName", targetName);
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("action", undo.action().key());
        u.put("containerId", undo.containerId());
        u.put("containerName", undo.containerName());
        u.put("quota", undo.quota());
        u.put("period", undo.period());
        u.put("comment", undo.comment());
        if (!undo.api().isEmpty()) {
            u.put("api", undo.api());
        }
        line.put("undo", u);
        append(line);
        return n;
    }

    /** After the change was made; {@code detail} may add what became known, e.g. a helper's id. */
    public synchronized void confirmed(long seq, String containerId) {
        Map<String, Object> line = line("confirmed");
        line.put("seq", seq);
        if (containerId != null) {
            line.put("containerId", containerId);
        }
        append(line);
    }

    /** The change was undone (or turned out never to have been made); {@code by} says who undid it. */
    public synchronized void reverted(long seq, String by) {
        Map<String, Object> line = line("reverted");
        line.put("seq", seq);
        line.put("by", by);
        append(line);
        open.remove(seq);
    }

    /**
     * The run ended normally; whatever is still open was not undone and is left to {@link Recover}. With
     * nothing open, the ledger moves into {@value #ENDED}/ ({@link #file()} follows it); if it cannot, it
     * stays where it is, and is read and pruned as before.
     */
    public synchronized void end() {
        append(line("end"));
        Path history = file.resolveSibling(ENDED).resolve(file.getFileName());
        if (open.isEmpty() && !Files.exists(history)) { // a rename would replace another run's history
            try {
                Files.createDirectories(history.getParent());
                Files.move(file, history, StandardCopyOption.ATOMIC_MOVE);
                file = history;
            } catch (IOException | UnsupportedOperationException e) {
                // left in place: the next run's start reads it and finds nothing to do
            }
        }
    }

    private static Map<String, Object> line(String type) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", type);
        line.put("at", Instant.now().toString());
        return line;
    }

    private void append(Map<String, Object> line) {
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE)) {
            out.write((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write to the ledger " + file, e);
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "";
        }
    }

    // ---- reading

    /** A change still open in a ledger: made (or about to be), not yet undone. */
    public record Entry(long seq, String fault, String targetId, String targetName, Undo undo, boolean confirmed) {}

    /** One ledger as read back. {@code ended}: the run finished normally. */
    public record Run(Path file, String runId, long pid, String pidStart, boolean ended, List<Entry> open) {

        /** Whether the JVM that wrote this ledger still runs (same pid and start time on this host). */
        public boolean jvmAlive() {
            return !pidStart.isEmpty() && Processes.startTicks(pid).map(pidStart::equals).orElse(false);
        }
    }

    /** Reads one ledger; a torn last line (the JVM died mid-write) is skipped. */
    public static Run read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the ledger " + file, e);
        }
        String runId = file.getFileName().toString().replaceFirst("\\.jsonl$", "");
        long pid = 0;
        String pidStart = "";
        boolean ended = false;
        Map<Long, Entry> intents = new LinkedHashMap<>();
        Set<Long> reverted = new LinkedHashSet<>();
        for (String raw : lines) {
            JsonNode n;
            try {
                n = JSON.readTree(raw);
            } catch (IOException e) {
                continue;
            }
            if (n == null || !n.has("type")) {
                continue;
            }
            switch (n.get("type").asText()) {
                case "run" -> {
                    runId = n.path("runId").asText(runId);
                    pid = n.path("pid").asLong();
                    pidStart = n.path("pidStart").asText("");
                }
                case "intent" -> {
                    JsonNode u = n.path("undo");
                    Undo undo = new Undo(Undo.Action.ofKey(u.path("action").asText()), u.path("containerId").asText(),
                            u.path("containerName").asText(), u.path("quota").asLong(), u.path("period").asLong(),
                            u.path("comment").asText(""), u.path("api").asText(""));
                    long s = n.path("seq").asLong();
                    if (runId == null || runId.isEmpty()) {
                        runId = n.path("runId").asText();
                    }
                    intents.put(s, new Entry(s, n.path("fault").asText(), n.path("targetId").asText(),
                            n.path("targetName").asText(), undo, false));
                }
                case "confirmed" -> {
                    long s = n.path("seq").asLong();
                    Entry e = intents.get(s);
                    if (e != null) {
                        Undo u = e.undo();
                        String id = n.path("containerId").asText(u.containerId());
                        intents.put(s, new Entry(s, e.fault(), e.targetId(), e.targetName(),
                                new Undo(u.action(), id, u.containerName(), u.quota(), u.period(), u.comment(), u.api()), true));
                    }
                }
                case "reverted" -> reverted.add(n.path("seq").asLong());
                case "end" -> ended = true;
                default -> { }
            }
        }
        List<Entry> open = new ArrayList<>();
        intents.values().stream().filter(e -> !reverted.contains(e.seq())).forEach(open::add);
        return new Run(file, runId, pid, pidStart, ended, List.copyOf(open));
    }

    /**
     * Every ledger in a folder (not in its {@value #ENDED}/ subfolder), oldest file first; none when the
     * folder does not exist.
     */
    public static List<Run> readAll(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                    .sorted()
                    .map(Ledger::read)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("could not list the ledger folder " + dir, e);
        }
    }

    /** Appends a {@code reverted} line to someone else's ledger (the reaper's or recover's undo). */
    static void markReverted(Path file, long seq, String by) {
        Map<String, Object> line = line("reverted");
        line.put("seq", seq);
        line.put("by", by);
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
            out.write((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write to the ledger " + file, e);
        }
    }
}
