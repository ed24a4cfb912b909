package dev.faultline.core.safety;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ContainerState;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.helper.Helpers;
import dev.faultline.core.netfilter.NetfilterSweep;
import dev.faultline.core.netfilter.RuleTag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Finds and undoes what faultline left on an engine: the open entries of dead runs' ledgers (pauses,
 * stopped containers, CPU quotas, memory limits, helpers, rules), helpers and reapers by label, and netfilter rules by
 * their {@code faultline:<run>:} comment in every running container. Runs whose JVM still lives (ledger
 * pid and start time, or a running reaper holding its lease) are left alone and said so. Helpers of a
 * run with neither (code that injected faults without a {@link SafeRun}) count as left behind.
 * Idempotent: a second call finds nothing.
 */
public final class Recover {

    private Recover() {}

    /** What was done, what could not be undone (and why), what was deliberately left alone. */
    public record Report(List<String> done, List<String> failed, List<String> leftAlone) {

        public Report {
            done = List.copyOf(done);
            failed = List.copyOf(failed);
            leftAlone = List.copyOf(leftAlone);
        }

        /** 0 when everything found was undone (or nothing was found), 1 when something could not be. */
        public int exitCode() {
            return failed.isEmpty() ? 0 : 1;
        }

        /** One line per thing done, failed or left alone; "nothing to recover" when there was nothing. */
        public List<String> lines() {
            List<String> lines = new ArrayList<>(done);
            failed.forEach(f -> lines.add("FAILED: " + f));
            leftAlone.forEach(l -> lines.add("left alone: " + l));
            if (done.isEmpty() && failed.isEmpty()) {
                lines.add(0, "nothing to recover");
            }
            return lines;
        }
    }

    /** Everything faultline left on this engine, with the ledgers of {@link Ledger#directory()}. */
    public static Report everything(Engine engine) {
        return everything(engine, Ledger.directory());
    }

    public static Report everything(Engine engine, Path ledgerDir) {
        return everything(engine, ledgerDir, Map.of());
    }

    /**
     * Only among containers carrying {@code scope}'s labels (e.g. one Compose project), for tests that
     * share an engine with others; {@code Map.of()} for every container.
     */
    static Report everything(Engine engine, Path ledgerDir, Map<String, String> scope) {
        engine.ping();
        String self = "recover-" + UUID.randomUUID().toString().substring(0, 8);
        Work w = new Work();
        List<Ledger.Run> runs = Ledger.readAll(ledgerDir);
        Set<String> live = liveRuns(runs);
        // runs this folder knows, by their ledgers' file names: those still here and those ended (history)
        Set<String> known = new LinkedHashSet<>();
        runs.forEach(r -> known.add(Ledger.fileName(r.runId())));
        known.addAll(endedFileNames(ledgerDir));
        leasedRuns(engine).stream().filter(r -> !known.contains(Ledger.fileName(r))).forEach(live::add);
        undoLedgers(engine, runs, live, self, w);
        removeByLabel(engine, live, null, scope, w);
        // rules of any run not alive, in every running container that is not faultline's own
        List<ContainerInfo> running = engine.containers(scope, false).stream()
                .filter(c -> !c.labels().containsKey(Helpers.ROLE) || "helper-image".equals(c.labels().get(Helpers.ROLE)))
                .filter(c -> !c.labels().containsKey(Helpers.RUN_ID))
                .toList();
        Set<String> keep = new LinkedHashSet<>();
        live.forEach(r -> keep.add(RuleTag.ofRun(r)));
        try {
            NetfilterSweep.Outcome o = NetfilterSweep.sweep(engine, self, running, RuleTag.PREFIX, keep);
            w.done.addAll(o.deleted());
            w.failed.addAll(o.failed());
        } catch (RuntimeException e) {
            w.failed.add("could not scan containers for faultline's netfilter rules: " + e.getMessage());
        }
        for (ContainerInfo c : engine.containers(scope, false)) {
            if (c.state() == ContainerState.PAUSED) {
                w.leftAlone.add(c.name() + " is paused, but no faultline ledger says a faultline run paused it");
            }
        }
        live.forEach(r -> w.leftAlone.add("run " + r + ": its JVM still runs"));
        return w.report();
    }

    /**
     * Deletes every faultline netfilter rule in {@code containers} (their network namespaces), whatever run
     * added it: for a caller that knows no run of its own is injecting into them (a restore between
     * experiments). One short helper per running container.
     */
    public static Report rulesIn(Engine engine, List<ContainerInfo> containers) {
        Work w = new Work();
        NetfilterSweep.Outcome o = NetfilterSweep.sweep(engine, "restore-" + UUID.randomUUID().toString().substring(0, 8), containers,
                RuleTag.PREFIX, Set.of());
        w.done.addAll(o.deleted());
        w.failed.addAll(o.failed());
        return w.report();
    }

    /**
     * Only what runs whose JVM is gone left behind, as their ledgers and labels show: what every new run
     * reconciles first. Helpers of runs without a ledger are not touched (they may belong to a live run of
     * code that keeps no ledger; they end at their own deadlines).
     */
    public static Report deadRuns(Engine engine) {
        return deadRuns(engine, Ledger.directory());
    }

    public static Report deadRuns(Engine engine, Path ledgerDir) {
        List<Ledger.Run> runs = Ledger.readAll(ledgerDir);
        Work w = new Work();
        pruneEnded(ledgerDir);
        if (runs.isEmpty()) {
            return w.report();
        }
        Set<String> live = liveRuns(runs);
        Set<String> dead = new LinkedHashSet<>();
        runs.stream().filter(r -> !live.contains(r.runId())).forEach(r -> dead.add(r.runId()));
        undoLedgers(engine, runs, live, "recover-" + UUID.randomUUID().toString().substring(0, 8), w);
        removeByLabel(engine, live, dead, Map.of(), w);
        toHistory(runs, live);
        return w.report();
    }

    /**
     * What one run left, whether or not its JVM still lives and whatever its ledger says: its helpers
     * (stopped gently first, so each one's trap undoes its own change, then removed) and the netfilter
     * rules tagged with its run id in the containers those helpers were placed next to. For tests and
     * for code that injected faults without a {@link SafeRun}; it never touches another run's things.
     */
    public static Report run(Engine engine, String runId) {
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("runId must not be blank, got '" + runId + "'");
        }
        Work w = new Work();
        Set<String> targets = new LinkedHashSet<>();
        Helpers helpers = Helpers.on(engine);
        for (ContainerInfo h : helpers.of(runId)) {
            String target = h.labels().get(Helpers.TARGET);
            if (target != null && !target.isBlank()) {
                targets.add(target);
            }
            try {
                w.done.add(helpers.stopAndRemove(h));
            } catch (RuntimeException e) {
                w.failed.add("could not remove helper " + h.name() + ": " + e.getMessage());
            }
        }
        List<ContainerInfo> running = new ArrayList<>();
        for (String target : targets) {
            Undoer.inspect(engine, target).filter(ContainerInfo::running).ifPresent(running::add);
        }
        NetfilterSweep.Outcome o = NetfilterSweep.sweep(engine, "recover-" + UUID.randomUUID().toString().substring(0, 8),
                running, RuleTag.ofRun(runId), Set.of());
        w.done.addAll(o.deleted());
        w.failed.addAll(o.failed());
        return w.report();
    }

    /**
     * Ledgers with nothing open, of runs that ended or died, are only history: moved to {@link Ledger#ENDED}/
     * (keeping their time), where {@link #pruneEnded} deletes them after a week. Ledgers written before runs
     * moved their own there on ending get there this way too.
     */
    private static void toHistory(List<Ledger.Run> runs, Set<String> live) {
        for (Ledger.Run r : runs) {
            try {
                // read again only when something was open: the undo above may have closed it
                if (!live.contains(r.runId()) && (r.open().isEmpty() || Ledger.read(r.file()).open().isEmpty())) {
                    Path ended = Files.createDirectories(r.file().resolveSibling(Ledger.ENDED));
                    Files.move(r.file(), ended.resolve(r.file().getFileName())); // never over another ledger
                }
            } catch (IOException | RuntimeException e) {
                // history that cannot be moved now is moved next time
            }
        }
    }

    /** How long the ledgers of runs with nothing open are kept. */
    private static final Duration HISTORY = Duration.ofDays(7);

    private static Set<String> endedFileNames(Path ledgerDir) {
        Set<String> names = new LinkedHashSet<>();
        Path ended = ledgerDir.resolve(Ledger.ENDED);
        if (Files.isDirectory(ended)) {
            try (Stream<Path> files = Files.list(ended)) {
                files.forEach(f -> names.add(f.getFileName().toString()));
            } catch (IOException e) {
                // unknown history: a leased run it would have named is left alone as live, the safe side
            }
        }
        return names;
    }

    /** Deletes the ledgers in {@link Ledger#ENDED}/ older than a week, by their files' age: only ledgers with nothing open are there. */
    private static void pruneEnded(Path ledgerDir) {
        Path ended = ledgerDir.resolve(Ledger.ENDED);
        if (!Files.isDirectory(ended)) {
            return;
        }
        Instant weekAgo = Instant.now().minus(HISTORY);
        try (Stream<Path> files = Files.list(ended)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().endsWith(".jsonl")
                        && Files.getLastModifiedTime(f).toInstant().isBefore(weekAgo)) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException | RuntimeException e) {
            // history that cannot be pruned now is pruned next time
        }
    }

    private static final class Work {
        final List<String> done = new ArrayList<>();
        final List<String> failed = new ArrayList<>();
        final List<String> leftAlone = new ArrayList<>();

        Report report() {
            return new Report(done, failed, leftAlone);
        }
    }

    /**
     * Runs whose reaper is running: a reaper lives as long as it holds its JVM's lease, so its run is
     * alive when its ledger is in another state folder (where this folder has the ledger, the ledger decides).
     */
    private static Set<String> leasedRuns(Engine engine) {
        Set<String> leased = new LinkedHashSet<>();
        for (ContainerInfo r : engine.containers(Map.of(Helpers.ROLE, Reaper.ROLE_REAPER), false)) {
            String run = r.labels().get(Helpers.RUN_ID);
            if (run != null && r.running()) {
                leased.add(run);
            }
        }
        return leased;
    }

    private static Set<String> liveRuns(List<Ledger.Run> runs) {
        Set<String> live = new LinkedHashSet<>();
        for (Ledger.Run r : runs) {
            if (!r.ended() && r.jvmAlive()) {
                live.add(r.runId());
            }
        }
        return live;
    }

    private static void undoLedgers(Engine engine, List<Ledger.Run> runs, Set<String> live, String self, Work w) {
        for (Ledger.Run run : runs) {
            if (live.contains(run.runId()) || run.open().isEmpty()) {
                continue;
            }
            List<Ledger.Entry> open = new ArrayList<>(run.open());
            open.sort(Undoer.ORDER);
            for (Ledger.Entry e : open) {
                try {
                    Undoer.undo(engine, e.undo(), self).ifPresent(line -> w.done.add("run " + run.runId() + ": " + line));
                    Ledger.markReverted(run.file(), e.seq(), "recover");
                } catch (RuntimeException ex) {
                    w.failed.add("run " + run.runId() + ": could not " + e.undo().describe() + ": " + ex.getMessage());
                }
            }
        }
    }

    /** Reapers and helpers by label, except those of live runs; only those of {@code onlyRuns} when given. */
    private static void removeByLabel(Engine engine, Set<String> live, Set<String> onlyRuns, Map<String, String> scope, Work w) {
        Map<String, String> reaperLabels = new HashMap<>(scope);
        reaperLabels.put(Helpers.ROLE, Reaper.ROLE_REAPER);
        for (ContainerInfo r : engine.containers(reaperLabels, true)) {
            String run = r.labels().getOrDefault(Helpers.RUN_ID, "");
            if (live.contains(run) || (onlyRuns != null && !onlyRuns.contains(run))) {
                continue;
            }
            try {
                engine.remove(r.id(), true);
                w.done.add("removed reaper " + r.name() + " of run " + run);
            } catch (RuntimeException e) {
                w.failed.add("could not remove reaper " + r.name() + ": " + e.getMessage());
            }
        }
        Map<String, String> helperLabels = new HashMap<>(scope);
        helperLabels.put(Helpers.ROLE, Helpers.ROLE_HELPER);
        for (ContainerInfo h : engine.containers(helperLabels, true)) {
            String run = h.labels().getOrDefault(Helpers.RUN_ID, "");
            if (live.contains(run) || (onlyRuns != null && !onlyRuns.contains(run)) || run.startsWith("recover-")) {
                continue;
            }
            try {
                w.done.add("run " + run + ": " + Undoer.removeHelper(engine, h));
            } catch (RuntimeException e) {
                w.failed.add("could not remove helper " + h.name() + ": " + e.getMessage());
            }
        }
    }
}
