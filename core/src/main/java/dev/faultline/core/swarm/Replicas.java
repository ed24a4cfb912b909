package dev.faultline.core.swarm;

import dev.faultline.core.engine.SwarmService;
import dev.faultline.core.engine.SwarmTask;
import dev.faultline.core.probe.ErrorClass;
import dev.faultline.core.probe.Probe;
import dev.faultline.core.probe.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A probe that passes when a service has as many running tasks as it wants replicas, asked of the manager.
 * With a healthcheck, the swarm reports a task running only once it is healthy, so "back" means serving.
 */
public final class Replicas implements Probe {

    private final SwarmStack stack;
    private final String service;

    private Replicas(SwarmStack stack, String service) {
        this.stack = stack;
        this.service = service;
    }

    public static Replicas of(SwarmStack stack, String service) {
        Objects.requireNonNull(stack, "stack");
        stack.service(service); // fails now, naming the services, rather than at every check
        return new Replicas(stack, service);
    }

    @Override
    public String name() {
        return "replicas of " + stack.project() + "/" + service;
    }

    @Override
    public ProbeResult check() {
        Instant at = Instant.now();
        long start = System.nanoTime();
        try {
            SwarmService s = stack.service(service);
            List<SwarmTask> wanted = stack.engine().swarmTasks(s.id()).stream().filter(SwarmTask::wanted).toList();
            long running = wanted.stream().filter(SwarmTask::running).count();
            int desired = s.global() ? wanted.size() : s.replicas();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            boolean ok = running >= desired && desired > 0;
            return new ProbeResult(name(), at, ok, took, ok ? ErrorClass.NONE : ErrorClass.UNEXPECTED,
                    running + "/" + desired + " running");
        } catch (RuntimeException e) {
            return new ProbeResult(name(), at, false, Duration.ofNanos(System.nanoTime() - start), ErrorClass.OTHER,
                    "the manager did not answer: " + e.getMessage());
        }
    }
}
