package dev.faultline.core.restore;

import dev.faultline.core.time.Durations;
import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ContainerState;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.EngineException;
import dev.faultline.core.engine.Health;
import dev.faultline.core.helper.Helpers;
import dev.faultline.core.probe.HttpProbe;
import dev.faultline.core.probe.ProbeResult;
import dev.faultline.core.safety.Recover;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Brings a Compose project back to the state captured by {@link #capture}: between the tests of a class,
 * the experiments of run-all, the scenarios of a game day, so that each gets its own verdict instead of
 * being refused because an earlier one left the stack broken.
 * <p>
 * Two kinds of leftovers, told apart because only one is a bug in the experiment:
 * <ul>
 * <li><b>faults left behind</b>: a paused container, a CPU quota or memory limit other than the captured
 *   one, a faultline helper still running against one of the containers, a faultline netfilter rule in one
 *   of them. Whatever injected these did not revert them. Each is undone and named.</li>
 * <li><b>repairs</b>: what the stack's own reaction left: a container that exited and was not restarted (a
 *   crash under restart policy "no"), one that is unhealthy, one that is gone. Each is started, restarted
 *   or recreated (with {@link #recreateWith}, e.g. {@code compose up -d}).</li>
 * </ul>
 * Then it waits until every captured container runs and is healthy (or has no health check) and the
 * health URL, when given, answers 200. Immutable; each {@code with}-style method returns a copy.
 */
public final class StackRestore {

    /** What one container looked like when captured, found again by service and number (a recreated one has a new id). */
    private record Baseline(String service, int number, String name, long cpuQuota, long cpuPeriod, Optional<Long> memoryLimit) {
        String key() {
            return service + "#" + number;
        }
    }

    private record Settings(Engine engine, String project, Map<String, Baseline> baseline, Optional<String> healthUrl,
            Duration timeout, Optional<Runnable> recreate, boolean sweepRules, Clock clock) {}

    private static final String PROJECT = "com.docker.compose.project";
    private static final String ONEOFF = "com.docker.compose.oneoff";
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(10);

    private final Settings settings;

    private StackRestore(Settings settings) {
        this.settings = settings;
    }

    /**
     * Captures the project as it is now (its containers, their CPU quotas and memory limits): the state
     * {@link #restore()} brings back. Capture it when the stack is healthy, before the first experiment.
     *
     * @throws RestoreException when the project has no containers
     */
    public static StackRestore capture(Engine engine, String project) {
        Objects.requireNonNull(engine, "engine");
        if (project == null || project.isBlank()) {
            throw new IllegalArgumentException("project must be a non-empty Compose project name, got '" + project + "'");
        }
        Map<String, Baseline> baseline = new LinkedHashMap<>();
        for (ContainerInfo c : containers(engine, project)) {
            Baseline b = new Baseline(c.service(), c.number(), c.name(), c.cpuQuota(), c.cpuPeriod(), memoryLimit(engine, c));
            baseline.put(b.key(), b);
        }
        if (baseline.isEmpty()) {
            throw new RestoreException("project '" + project + "' has no containers to capture; bring it up first");
        }
        return new StackRestore(new Settings(engine, project, Map.copyOf(baseline), Optional.empty(), Duration.ofMinutes(3),
                Optional.empty(), true, Clock.systemUTC()));
    }

    /** Also waits until {@code url} answers 200. */
    public StackRestore healthUrl(String url) {
        if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
            throw new IllegalArgumentException("url must be an http:// or https:// URL, got '" + url + "'");
        }
        return with(new Settings(settings.engine(), settings.project(), settings.baseline(), Optional.of(url),
                settings.timeout(), settings.recreate(), settings.sweepRules(), settings.clock()));
    }

    /** How long the stack gets to be steady again (default 3 min). */
    public StackRestore timeout(Duration timeout) {
        if (timeout == null || timeout.isZero() || timeout.isNegative() || timeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("timeout must be in (0, PT1H], got " + timeout);
        }
        return with(new Settings(settings.engine(), settings.project(), settings.baseline(), settings.healthUrl(), timeout,
                settings.recreate(), settings.sweepRules(), settings.clock()));
    }

    /** How to recreate containers that are gone (e.g. run {@code compose up -d}); without it a missing one is an error. */
    public StackRestore recreateWith(Runnable recreate) {
        Objects.requireNonNull(recreate, "recreate");
        return with(new Settings(settings.engine(), settings.project(), settings.baseline(), settings.healthUrl(),
                settings.timeout(), Optional.of(recreate), settings.sweepRules(), settings.clock()));
    }

    /** Skips the search for faultline's netfilter rules (one short helper container per running container). */
    public StackRestore withoutRuleSweep() {
        return with(new Settings(settings.engine(), settings.project(), settings.baseline(), settings.healthUrl(),
                settings.timeout(), settings.recreate(), false, settings.clock()));
    }

    /** Measures the wait on {@code clock} (tests). */
    public StackRestore clock(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        return with(new Settings(settings.engine(), settings.project(), settings.baseline(), settings.healthUrl(),
                settings.timeout(), settings.recreate(), settings.sweepRules(), clock));
    }

    private StackRestore with(Settings s) {
        return new StackRestore(s);
    }

    public String project() {
        return settings.project();
    }

    /** Services and container names captured, e.g. "db (demo_db_1), web (demo_web_1)". */
    public String captured() {
        return settings.baseline().values().stream().map(b -> b.service() + " (" + b.name() + ")")
                .collect(Collectors.joining(", "));
    }

    /**
     * Undoes the faults left behind, repairs the rest, waits for the steady state.
     *
     * @throws RestoreException naming what did not come back within the timeout, or what could not be undone
     */
    public Restoration restore() {
        Engine engine = settings.engine();
        Instant start = settings.clock().instant();
        List<String> faults = new ArrayList<>();
        List<String> repairs = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        undoFaults(engine, faults, failed);
        repair(engine, repairs, failed);
        if (!failed.isEmpty()) {
            throw new RestoreException("could not restore project '" + settings.project() + "': " + String.join("; ", failed)
                    + done(faults, repairs));
        }
        awaitSteady(engine, faults, repairs, start);
        return new Restoration(settings.project(), faults, repairs, Duration.between(start, settings.clock().instant()));
    }

    private void undoFaults(Engine engine, List<String> faults, List<String> failed) {
        List<ContainerInfo> current = containers(engine, settings.project());
        Set<String> names = current.stream().map(ContainerInfo::name).collect(Collectors.toSet());
        Helpers helpers = Helpers.on(engine);
        for (ContainerInfo helper : engine.containers(Map.of(Helpers.ROLE, Helpers.ROLE_HELPER), true)) {
            if (names.contains(helper.labels().get(Helpers.TARGET))) {
                try {
                    faults.add(helpers.stopAndRemove(helper) + ": it was still there");
                } catch (RuntimeException e) {
                    failed.add("could not remove helper " + helper.name() + ": " + e.getMessage());
                }
            }
        }
        if (settings.sweepRules()) {
            Recover.Report rules = Recover.rulesIn(engine, current);
            faults.addAll(rules.done());
            failed.addAll(rules.failed());
        }
        for (ContainerInfo c : current) {
            Baseline b = settings.baseline().get(c.service() + "#" + c.number());
            try {
                if (c.state() == ContainerState.PAUSED) {
                    engine.unpause(c.id());
                    faults.add(c.name() + " was paused: unpaused");
                }
                if (b == null) {
                    continue; // not captured (scaled up since): its limits have no baseline
                }
                if (c.cpuQuota() != b.cpuQuota() || (b.cpuQuota() > 0 && c.cpuPeriod() != b.cpuPeriod())) {
                    engine.updateCpuQuota(c.id(), b.cpuQuota() == 0 ? -1 : b.cpuQuota(), b.cpuPeriod());
                    faults.add(c.name() + "'s CPU quota was " + quota(c.cpuQuota(), c.cpuPeriod()) + ": set back to "
                            + quota(b.cpuQuota(), b.cpuPeriod()));
                }
                Optional<Long> memory = memoryLimit(engine, c);
                if (b.memoryLimit().isPresent() && memory.isPresent() && !memory.equals(b.memoryLimit())) {
                    engine.updateMemoryLimit(c.id(), b.memoryLimit().get());
                    faults.add(c.name() + "'s memory limit was " + bytes(memory.get()) + ": set back to "
                            + bytes(b.memoryLimit().get()));
                }
            } catch (RuntimeException e) {
                failed.add("could not undo what was left on " + c.name() + ": " + e.getMessage());
            }
        }
    }

    private void repair(Engine engine, List<String> repairs, List<String> failed) {
        Map<String, ContainerInfo> current = new LinkedHashMap<>();
        containers(engine, settings.project()).forEach(c -> current.put(c.service() + "#" + c.number(), c));
        List<String> missing = settings.baseline().values().stream().filter(b -> !current.containsKey(b.key()))
                .map(Baseline::name).toList();
        if (!missing.isEmpty()) {
            if (settings.recreate().isEmpty()) {
                failed.add(String.join(", ", missing) + " no longer exist" + (missing.size() == 1 ? "s" : "")
                        + " and this restore cannot recreate containers (no compose file was given)");
            } else {
                try {
                    settings.recreate().get().run();
                    repairs.add(String.join(", ", missing) + (missing.size() == 1 ? " was" : " were") + " gone: recreated");
                } catch (RuntimeException e) {
                    failed.add("could not recreate " + String.join(", ", missing) + ": " + e.getMessage());
                }
            }
        }
        for (ContainerInfo c : current.values()) {
            try {
                switch (c.state()) {
                    case EXITED, CREATED, DEAD -> {
                        engine.start(c.id());
                        repairs.add(c.name() + " had " + (c.state() == ContainerState.EXITED ? "exited with " + c.exitCode()
                                + (c.oomKilled() ? " (OOM-killed)" : "") : "state " + c.state().name().toLowerCase())
                                + " and was not restarted (restart policy '" + c.restartPolicy().name() + "'): started");
                    }
                    case RUNNING -> {
                        if (c.health() == Health.UNHEALTHY) {
                            engine.restart(c.id(), RESTART_TIMEOUT);
                            repairs.add(c.name() + " was unhealthy: restarted");
                        }
                    }
                    default -> {
                        // restarting (its policy is at work), paused (undone above), removing: wait below
                    }
                }
            } catch (RuntimeException e) {
                failed.add("could not repair " + c.name() + ": " + e.getMessage());
            }
        }
    }

    private void awaitSteady(Engine engine, List<String> faults, List<String> repairs, Instant start) {
        Instant deadline = start.plus(settings.timeout());
        Optional<HttpProbe> probe = settings.healthUrl().map(u -> HttpProbe.get(u).status(200).timeout(Duration.ofSeconds(2)));
        String notYet;
        while (true) {
            notYet = notSteady(engine, probe);
            if (notYet.isEmpty()) {
                return;
            }
            if (!settings.clock().instant().isBefore(deadline)) {
                break;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RestoreException("interrupted while waiting for project '" + settings.project()
                        + "' to be steady again: " + notYet);
            }
        }
        throw new RestoreException("project '" + settings.project() + "' was not steady again within "
                + Durations.words(settings.timeout()) + ": " + notYet + done(faults, repairs));
    }

    /** Empty when steady; otherwise what is not yet. */
    private String notSteady(Engine engine, Optional<HttpProbe> probe) {
        Map<String, ContainerInfo> current = new LinkedHashMap<>();
        containers(engine, settings.project()).forEach(c -> current.put(c.service() + "#" + c.number(), c));
        List<String> problems = new ArrayList<>();
        for (Baseline b : settings.baseline().values()) {
            ContainerInfo c = current.get(b.key());
            if (c == null) {
                problems.add(b.name() + " does not exist");
            } else if (!c.running()) {
                problems.add(c.name() + " is " + c.state().name().toLowerCase());
            } else if (c.health() == Health.STARTING || c.health() == Health.UNHEALTHY) {
                problems.add(c.name() + " is " + c.health().name().toLowerCase());
            }
        }
        if (problems.isEmpty() && probe.isPresent()) {
            ProbeResult r = probe.get().check();
            if (!r.ok()) {
                problems.add(probe.get().url() + ": " + r.detail());
            }
        }
        return String.join(", ", problems);
    }

    private static String done(List<String> faults, List<String> repairs) {
        List<String> all = new ArrayList<>(faults);
        all.addAll(repairs);
        return all.isEmpty() ? "" : " (done so far: " + String.join("; ", all) + ")";
    }

    private static List<ContainerInfo> containers(Engine engine, String project) {
        return engine.containers(Map.of(PROJECT, project), true).stream()
                .filter(c -> !"True".equalsIgnoreCase(c.labels().getOrDefault(ONEOFF, "False")))
                .filter(c -> !c.labels().containsKey(Helpers.ROLE))
                .toList();
    }

    private static Optional<Long> memoryLimit(Engine engine, ContainerInfo c) {
        try {
            return Optional.of(engine.memoryLimit(c.id()));
        } catch (EngineException e) {
            return Optional.empty(); // an engine without memory limits: nothing to compare
        }
    }

    private static String quota(long quota, long period) {
        return quota <= 0 ? "unlimited" : quota + "/" + period + " µs";
    }

    private static String bytes(long bytes) {
        return bytes == 0 ? "none" : (bytes / (1024 * 1024)) + " MiB";
    }

}
