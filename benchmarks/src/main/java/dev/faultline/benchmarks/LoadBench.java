package dev.faultline.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import dev.faultline.core.cli.LoadCommand;
import dev.faultline.core.load.LoadConfig;
import dev.faultline.core.load.LoadGenerator;
import dev.faultline.core.load.LoadProfile;
import dev.faultline.core.load.LoadSummary;
import dev.faultline.core.load.RequestSpec;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The faultline load generator against the bench server, in four modes:
 * <ul>
 *   <li>{@code steps URL SECONDS RATE...}: one constant-rate run per rate in one JVM, each after the warm-up
 *       {@code scripts/load.jsh} does by default at that rate; a rate is
 *       sustained when none was dropped, all succeeded, the achieved rate is at least 97 % of the
 *       target and the median latency (from the intended send) is under 10 ms: a saturated generator or
 *       server queues, and its median jumps from ~0.2 ms to tens of ms or more. Not the p99: on a shared
 *       2-core machine it measures the neighbours' load more than the tool.</li>
 *   <li>{@code steps-capped URL SECONDS CONNECTIONS RATE...}: the same with at most CONNECTIONS connections
 *       ({@code LoadConfig.maxConnections}), reported as {@code faultline-cN}: as many as hey's workers.</li>
 *   <li>{@code run URL RATE SECONDS LABEL}: one run (the coordinated-omission check: run.sh pauses the server
 *       meanwhile).</li>
 *   <li>{@code footprint URL RATE SECONDS}: one run while sampling heap and CPU every 100 ms.</li>
 * </ul>
 */
public final class LoadBench {

    private static final String SECTION = "load";

    public static void main(String[] args) {
        String mode = args[0];
        String url = args[1];
        switch (mode) {
            case "steps" -> steps(url, Integer.parseInt(args[2]), rates(args, 3), "faultline", 0);
            case "steps-capped" -> steps(url, Integer.parseInt(args[2]), rates(args, 4), "faultline-c" + args[3],
                    Integer.parseInt(args[3]));
            case "run" -> report(args[4], run(url, Double.parseDouble(args[2]), Integer.parseInt(args[3])),
                    Double.parseDouble(args[2]));
            case "footprint" -> footprint(url, Double.parseDouble(args[2]), Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("mode must be steps, steps-capped, run or footprint, got '" + mode + "'");
        }
        System.exit(0);
    }

    static LoadSummary run(String url, double rate, int seconds) {
        return run(url, rate, seconds, 0);
    }

    /** @param maxConnections the generator's connection cap; 0 for its default (one per request in flight) */
    static LoadSummary run(String url, double rate, int seconds, int maxConnections) {
        LoadConfig.Builder config = LoadConfig.custom().baseUrl(url).profile(LoadProfile.constant(rate, Duration.ofSeconds(seconds)))
                .request(RequestSpec.get("/")).callTimeout(Duration.ofSeconds(10));
        if (maxConnections > 0) config.maxConnections(maxConnections);
        return LoadGenerator.run(config.build());
    }

    private static double[] rates(String[] args, int from) {
        double[] rates = new double[args.length - from];
        for (int i = from; i < args.length; i++) rates[i - from] = Double.parseDouble(args[i]);
        return rates;
    }

    static void steps(String url, int seconds, double[] rates, String label, int maxConnections) {
        double best = 0;
        for (double rate : rates) {
            // not reported: what scripts/load.jsh does by default before a load at this rate, so that a warm step
            // is warm for its own rate, as the cold one is (lower rates before it did not compile its paths)
            LoadCommand.defaultWarmUp(rate, System.err);
            LoadSummary s = run(url, rate, seconds, maxConnections);
            boolean sustained = report(label + "." + (long) rate, s, rate);
            if (sustained) {
                best = Math.max(best, rate);
            }
        }
        Results.print(SECTION, label + ".highest-sustained", best, "req/s");
    }

    /** Prints a run's figures; returns whether the rate was sustained. */
    static boolean report(String label, LoadSummary s, double rate) {
        Results.print(SECTION, label + ".target", rate, "req/s");
        Results.print(SECTION, label + ".achieved", s.achievedRate(), "req/s");
        Results.print(SECTION, label + ".achieved/target", s.achievedRate() / rate, "ratio");
        Results.print(SECTION, label + ".sent", s.sent(), "n");
        Results.print(SECTION, label + ".failed", s.failed(), "n");
        Results.print(SECTION, label + ".dropped", s.dropped(), "n");
        Results.print(SECTION, label + ".late", s.late(), "n");
        Results.print(SECTION, label + ".latency.p50", s.latency().p50().toNanos() / 1e3, "us");
        Results.print(SECTION, label + ".latency.p99", s.latency().p99().toNanos() / 1e3, "us");
        Results.print(SECTION, label + ".latency.max", s.latency().max().toNanos() / 1e3, "us");
        Results.print(SECTION, label + ".service.max", s.serviceTime().max().toNanos() / 1e3, "us");
        boolean sustained = s.dropped() == 0 && s.failed() == 0 && s.achievedRate() >= 0.97 * rate
                && s.latency().p50().compareTo(Duration.ofMillis(10)) < 0;
        Results.print(SECTION, label + ".sustained", sustained ? 1 : 0, "bool");
        return sustained;
    }

    static void footprint(String url, double rate, int seconds) {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<MemoryPoolMXBean> heapPools = new ArrayList<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool);
            }
        }
        AtomicLong peakUsed = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(() -> {
            long used = heapPools.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
            peakUsed.accumulateAndGet(used, Math::max);
        }, 0, 100, TimeUnit.MILLISECONDS);
        long cpuStart = os.getProcessCpuTime();
        long wallStart = System.nanoTime();
        long gcStart = gcMillis();
        LoadSummary s = run(url, rate, seconds);
        long cpu = os.getProcessCpuTime() - cpuStart;
        long wall = System.nanoTime() - wallStart;
        sampler.shutdownNow();
        // the live set: what each heap pool held just after its last collection
        long afterGc = heapPools.stream().mapToLong(p -> p.getCollectionUsage() == null ? 0 : p.getCollectionUsage().getUsed()).sum();
        report("footprint." + (long) rate, s, rate);
        Results.print(SECTION, "footprint.seconds", seconds, "s");
        Results.print(SECTION, "footprint.heap.max-configured", Runtime.getRuntime().maxMemory() / 1048576.0, "MiB");
        Results.print(SECTION, "footprint.heap.peak-used", peakUsed.get() / 1048576.0, "MiB");
        Results.print(SECTION, "footprint.heap.after-last-gc", afterGc / 1048576.0, "MiB");
        Results.print(SECTION, "footprint.gc-time", gcMillis() - gcStart, "ms");
        Results.print(SECTION, "footprint.cpu", 100.0 * cpu / wall, "%-of-one-core");
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }
}
