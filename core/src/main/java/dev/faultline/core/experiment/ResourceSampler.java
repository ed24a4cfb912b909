package dev.faultline.core.experiment;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.ResourceUsage;
import dev.faultline.core.observe.Timeline;
import dev.faultline.core.target.Targets;
import dev.faultline.core.time.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CPU and memory of every container of the stack, about once a second, on the run's clock, so the
 * timeline shows what a fault did to the machine next to what it did to the users.
 *
 * <p>One daemon thread per container: an engine stats sample takes two readings a second apart,
 * so sampling them in turn would space one container's samples by the size of the stack.
 * Sampling is best effort: a container that is gone or an engine that does not answer costs a
 * debug line, never the experiment.
 */
final class ResourceSampler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResourceSampler.class);
    private static final Duration IDLE = Duration.ofSeconds(1);

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    private ResourceSampler() {}

    static ResourceSampler start(Engine engine, Targets targets, Timeline timeline, String runId) {
        ResourceSampler sampler = new ResourceSampler();
        List<ContainerInfo> containers = new ArrayList<>();
        try {
            for (String service : targets.services()) {
                containers.addAll(targets.containers(service));
            }
        } catch (RuntimeException e) {
            LOG.debug("run {}: no resource samples: {}", runId, e.toString());
            return sampler;
        }
        for (ContainerInfo c : containers) {
            Thread t = new Thread(() -> sampler.sample(engine, c, timeline), "faultline-stats-" + runId + "-" + c.name());
            t.setDaemon(true);
            sampler.threads.add(t);
            t.start();
        }
        return sampler;
    }

    private void sample(Engine engine, ContainerInfo container, Timeline timeline) {
        while (running.get()) {
            long before = System.nanoTime();
            try {
                ResourceUsage usage = engine.stats(container.id());
                if (!running.get()) return;
                timeline.resourceSample(container.service(), usage.cpuPercent(), usage.memoryBytes());
            } catch (RuntimeException e) {
                LOG.debug("stats of {} unavailable: {}", container.name(), e.toString());
            }
            // a stopped container answers at once: wait instead of spinning on it
            try {
                Waits.until(before + IDLE.toNanos(), () -> !running.get());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        running.set(false);
        threads.forEach(Thread::interrupt);
    }
}
