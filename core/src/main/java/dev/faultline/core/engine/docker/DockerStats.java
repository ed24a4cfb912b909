package dev.faultline.core.engine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Statistics;
import dev.faultline.core.engine.EngineException;
import dev.faultline.core.engine.ResourceUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** One CPU and memory reading of a running container, computed as {@code docker stats} does. */
final class DockerStats {

    private static final Duration STATS_TIMEOUT = Duration.ofSeconds(10);

    private DockerStats() {}

    /** Reads two samples from the stats stream and returns the second: only it carries a CPU delta. */
    static ResourceUsage sample(DockerClient streaming, DockerCalls calls, String containerId) {
        String what = "stats of container " + containerId;
        CountDownLatch two = new CountDownLatch(2);
        AtomicReference<Statistics> second = new AtomicReference<>();
        ResultCallback.Adapter<Statistics> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Statistics s) {
                if (two.getCount() == 1) second.compareAndSet(null, s);
                two.countDown();
            }
        };
        calls.streamed(what, callback, () -> {
            // The first sample has no previous CPU reading; the second carries the first as precpu.
            streaming.statsCmd(containerId).exec(callback);
            if (!two.await(STATS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new EngineException(what + ": no two samples within " + STATS_TIMEOUT);
            }
            return null;
        });
        return toUsage(containerId, second.get());
    }

    static ResourceUsage toUsage(String containerId, Statistics s) {
        double cpu = 0;
        var now = s.getCpuStats();
        var pre = s.getPreCpuStats();
        if (now != null && pre != null && now.getCpuUsage() != null && pre.getCpuUsage() != null
                && now.getSystemCpuUsage() != null && pre.getSystemCpuUsage() != null) {
            long cpuDelta = now.getCpuUsage().getTotalUsage() - pre.getCpuUsage().getTotalUsage();
            long systemDelta = now.getSystemCpuUsage() - pre.getSystemCpuUsage();
            long cpus = now.getOnlineCpus() != null && now.getOnlineCpus() > 0 ? now.getOnlineCpus()
                    : now.getCpuUsage().getPercpuUsage() == null ? 1 : now.getCpuUsage().getPercpuUsage().size();
            if (systemDelta > 0 && cpuDelta >= 0) {
                cpu = (double) cpuDelta / systemDelta * cpus * 100.0;
            }
        }
        long memory = 0;
        long limit = 0;
        var mem = s.getMemoryStats();
        if (mem != null) {
            memory = mem.getUsage() == null ? 0 : mem.getUsage();
            // As `docker stats` does on cgroup v1: page cache is reclaimable, not the process's memory.
            if (mem.getStats() != null && mem.getStats().getCache() != null) {
                memory = Math.max(0, memory - mem.getStats().getCache());
            }
            limit = mem.getLimit() == null ? 0 : mem.getLimit();
        }
        Instant time = DockerMapping.parseInstant(s.getRead());
        return new ResourceUsage(time == null ? Instant.now() : time, containerId, cpu, memory, limit);
    }
}
