package dev.faultline.benchmarks;

import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.experiment.Experiment;
import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.experiment.ExperimentRunner;
import dev.faultline.core.experiment.FaultStep;
import dev.faultline.core.fault.Fault;
import dev.faultline.core.fault.FaultContext;
import dev.faultline.core.fault.Injection;
import dev.faultline.core.fault.SimpleInjection;
import dev.faultline.core.target.Targets;
import java.io.Closeable;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * How late scheduled work starts. (1) The real {@link ExperimentRunner}: an experiment of faults at fixed
 * offsets whose inject() only reads the clock, against an engine that does nothing; lateness of fault k is
 * its inject time minus (the run's observation start + its offset), fault 0 excluded (it pays class
 * loading and the first log line).
 * (2) For comparison, the primitives: a latch await until the deadline (what the runner does), park then
 * spin the last 100 us (what the load generator does), and a ScheduledThreadPoolExecutor.
 *
 * <p>Run it once as is and once with {@code -XX:+UnlockExperimentalVMOptions -XX:TimerSlack=1} to see the
 * part Linux's 50 us timer slack plays.
 */
public final class TimerJitter {

    public static void main(String[] args) throws Exception {
        String section = args.length > 0 ? args[0] : "timer";
        int faults = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int samples = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        runner(section, faults, Duration.ofMillis(20));
        latch(section, samples);
        parkSpin(section, samples);
        scheduledExecutor(section, samples);
    }

    /** The runner's own scheduling, faults every {@code step}. */
    /**
     * What the idle engine answers: a local engine, no containers, calls that succeed and do nothing, so
     * the run's safety start (guard, dead-run sweep, reaper) costs no Docker time in this benchmark.
     */
    private static Object idleAnswer(Class<?> type) {
        if (type == void.class) return null;
        if (type == boolean.class) return true;
        if (type == long.class) return 0L;
        if (type == int.class) return 0;
        if (type == String.class) return "idle";
        if (type == List.class) return List.of();
        if (type == java.util.Optional.class) return java.util.Optional.empty();
        if (type == dev.faultline.core.engine.EngineInfo.class) {
            return new dev.faultline.core.engine.EngineInfo("idle", "1.41", "unix:///idle", "linux", "idle", true);
        }
        if (type == dev.faultline.core.engine.ExecResult.class) return new dev.faultline.core.engine.ExecResult(0, "", "");
        throw new UnsupportedOperationException("the timer benchmark's engine has no answer of type " + type.getName());
    }

    static void runner(String section, int count, Duration step) {
        long[] injectedAt = new long[count];
        long[] observeStart = new long[1];
        // The runner subscribes to events, then at once reads its observation clock (observeStartNanos),
        // from which offsets count: the return of events() is that zero, short by a few nanoseconds.
        Engine idle = (Engine) Proxy.newProxyInstance(Engine.class.getClassLoader(), new Class<?>[] {Engine.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("events")) {
                        Closeable none = () -> { };
                        observeStart[0] = System.nanoTime();
                        return none;
                    }
                    return idleAnswer(method.getReturnType());
                });
        Targets none = new Targets() {
            @Override
            public String project() {
                return "fl-bench-timer";
            }

            @Override
            public List<String> services() {
                return List.of();
            }

            @Override
            public List<ContainerInfo> containers(String service) {
                return List.of();
            }
        };
        Experiment.Builder builder = Experiment.named("timer-jitter").recoveryWindow(Duration.ofMillis(1))
                .afterRecovery(Duration.ZERO);
        for (int i = 0; i < count; i++) {
            int k = i;
            Fault stamp = new Fault() {
                @Override
                public String describe() {
                    return "stamp " + k;
                }

                @Override
                public Injection inject(FaultContext context) {
                    injectedAt[k] = System.nanoTime();
                    return SimpleInjection.oneShot("clock read", List.of(), Instant.now());
                }
            };
            builder.fault(FaultStep.at(stamp, step.multipliedBy(i)));
        }
        ExperimentResult result = new ExperimentRunner(idle, none).run(builder.build());
        Histogram late = Results.histogram();
        for (int i = 1; i < count; i++) {
            if (injectedAt[i] == 0) {
                throw new IllegalStateException("fault " + i + " was never injected: " + result);
            }
            long lateness = injectedAt[i] - observeStart[0] - step.toNanos() * i;
            if (System.getenv("BENCH_DEBUG") != null) System.out.println("lateness " + i + " " + lateness);
            late.recordValue(Math.max(0, lateness));
        }
        Results.percentilesMicros(section, "runner.lateness", late, false);
    }

    /** What ExperimentRunner.waitUntil did before it spun its last millisecond: await an abort latch for the time left, until the deadline. */
    static void latch(String section, int samples) throws InterruptedException {
        CountDownLatch never = new CountDownLatch(1);
        Histogram late = Results.histogram();
        for (int i = 0; i < samples; i++) {
            long deadline = System.nanoTime() + 1_000_000;
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                never.await(left, TimeUnit.NANOSECONDS);
            }
            late.recordValue(System.nanoTime() - deadline);
        }
        Results.percentilesMicros(section, "latch-await.lateness", late, true);
    }

    /** What core.time.Waits.until does by default (the load generator, the proxy): park until 100 us before, then spin. */
    static void parkSpin(String section, int samples) {
        Histogram late = Results.histogram();
        for (int i = 0; i < samples; i++) {
            long deadline = System.nanoTime() + 1_000_000;
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                if (left > 100_000) {
                    LockSupport.parkNanos(left - 100_000);
                } else {
                    Thread.onSpinWait();
                }
            }
            late.recordValue(System.nanoTime() - deadline);
        }
        Results.percentilesMicros(section, "park-spin.lateness", late, true);
    }

    static void scheduledExecutor(String section, int samples) throws Exception {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try {
            Histogram late = Results.histogram();
            for (int i = 0; i < samples; i++) {
                long deadline = System.nanoTime() + 1_000_000;
                long ran = executor.schedule(System::nanoTime, 1_000_000, TimeUnit.NANOSECONDS).get();
                late.recordValue(Math.max(0, ran - deadline));
            }
            Results.percentilesMicros(section, "scheduled-executor.lateness", late, true);
        } finally {
            executor.shutdownNow();
        }
    }
}
