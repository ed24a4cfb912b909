package dev.faultline.core.experiment;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.EngineEvent;
import dev.faultline.core.probe.ErrorClass;
import dev.faultline.core.target.Targets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Recovery metrics, verdicts and the words that explain them, computed from what a run observed. */
final class Analysis {

    private Analysis() {}

    static List<Observation> from(List<Observation> all, Observation.Source source) {
        return all.stream().filter(o -> o.source() == source).sorted(Comparator.comparing(Observation::time)).toList();
    }

    /** The start of the first run of passing checks, at or after {@code from}, that lasted {@code healthyFor}. */
    static Optional<Instant> recoveredAt(List<Observation> checks, Instant from, Duration healthyFor) {
        Instant candidate = null;
        for (Observation o : checks) {
            if (o.time().isBefore(from)) {
                continue;
            }
            if (!o.ok()) {
                candidate = null;
            } else if (candidate == null) {
                candidate = o.time();
            }
            if (candidate != null && Duration.between(candidate, o.time()).compareTo(healthyFor) >= 0) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static Recovery recovery(List<Observation> checks, Optional<Instant> firstInjected, Optional<Instant> faultEnded,
            Duration healthyFor) {
        if (firstInjected.isEmpty() || faultEnded.isEmpty()) {
            return Recovery.none();
        }
        Instant first = firstInjected.get();
        Instant end = faultEnded.get();
        Optional<Instant> firstFailure = checks.stream().filter(o -> !o.ok() && !o.time().isBefore(first))
                .map(Observation::time).findFirst();
        Optional<Instant> back = checks.stream().filter(o -> o.ok() && !o.time().isBefore(end))
                .map(Observation::time).findFirst();
        Optional<Instant> recovered = recoveredAt(checks, end, healthyFor);
        List<Observation> during = checks.stream().filter(o -> !o.time().isBefore(first)).toList();
        double availability = during.isEmpty() ? 1.0
                : (double) during.stream().filter(Observation::ok).count() / during.size();
        return new Recovery(faultEnded, firstFailure.map(t -> Duration.between(first, t)), back, recovered,
                recovered.map(t -> t.isBefore(end) ? Duration.ZERO : Duration.between(end, t)),
                firstFailure.flatMap(f -> recovered.map(r -> r.isBefore(f) ? Duration.ZERO : Duration.between(f, r))),
                availability);
    }

    /** "20 × 502, 5 × connection refused". */
    static String errorBreakdown(List<Observation> failed) {
        Map<ErrorClass, Long> byClass = new EnumMap<>(ErrorClass.class);
        for (Observation o : failed) {
            byClass.merge(o.errorClass(), 1L, Long::sum);
        }
        return byClass.entrySet().stream().sorted(Map.Entry.<ErrorClass, Long>comparingByValue().reversed())
                .map(e -> e.getValue() + " × " + e.getKey().label()).collect(Collectors.joining(", "));
    }

    static Duration percentile(List<Observation> calls, double p) {
        List<Duration> sorted = calls.stream().map(Observation::latency).sorted().toList();
        if (sorted.isEmpty()) {
            return Duration.ZERO;
        }
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /**
     * What the stack's containers did, in words: "web exited with 137 and was not restarted: its
     * restart policy is 'no'". Empty when every container runs and no container died.
     */
    static String diagnose(Targets targets, List<EngineEvent> events) {
        List<String> findings = new ArrayList<>();
        List<String> services;
        try {
            services = targets.services();
        } catch (RuntimeException e) {
            return "the stack's containers could not be listed: " + e.getMessage();
        }
        for (String service : services) {
            List<ContainerInfo> containers;
            try {
                containers = targets.containers(service);
            } catch (RuntimeException e) {
                findings.add(service + " could not be inspected: " + e.getMessage());
                continue;
            }
            long died = events.stream().filter(ev -> service.equals(ev.service()) && "die".equals(ev.action())).count();
            for (ContainerInfo c : containers) {
                String name = containers.size() > 1 ? c.name() : service;
                switch (c.state()) {
                    case RUNNING -> {
                        if (c.health() == dev.faultline.core.engine.Health.UNHEALTHY) {
                            findings.add(name + " is running but its healthcheck says unhealthy");
                        } else if (died > 0 && c.labels().containsKey("com.docker.swarm.task.id")) {
                            // a swarm task's container is never restarted: the swarm replaces the task with a new one
                            findings.add(name + " is running; " + service + "'s task containers died " + times(died)
                                    + " and the swarm replaced them");
                        } else if (died > 0) {
                            findings.add(name + " died " + times(died) + " and is running again (restart policy '"
                                    + c.restartPolicy() + "')");
                        }
                    }
                    case EXITED, DEAD -> {
                        String how = name + " exited with " + c.exitCode() + (c.oomKilled() ? " (out of memory)" : "");
                        if (c.restartPolicy().restartsAfterCrash()) {
                            findings.add(how + " and was not restarted although its restart policy is '"
                                    + c.restartPolicy() + "'");
                        } else {
                            findings.add(how + " and was not restarted: its restart policy is '" + c.restartPolicy() + "'");
                        }
                    }
                    case PAUSED -> findings.add(name + " is still paused");
                    case RESTARTING -> findings.add(name + " keeps restarting (" + c.restartCount() + " restarts so far, last exit "
                            + c.exitCode() + ")");
                    default -> findings.add(name + " is " + c.state().name().toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        return String.join("; ", findings);
    }

    private static String times(long n) {
        return n == 1 ? "once" : n + " times";
    }
}
