package dev.faultline.benchmarks;

import dev.faultline.core.probe.HttpProbe;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * HttpProbe's overhead over the raw OkHttp call it wraps, measured in pairs: each invocation makes one probe
 * check and one raw call to the same loopback server, in alternating order, and times each with
 * {@code System.nanoTime}. Both medians then come from the same seconds of the same JVM.
 *
 * <p>Why not {@link ProbeBenchmark}'s two benchmarks: JMH runs them one after the other, each in its own
 * fork, and on this 2-core machine the median of a loopback call moves by 5-15 % between forks and between
 * iterations (104-141 µs for the same raw call in one 4-fork run). Their ratio came out 0.95, 1.07, 0.95,
 * 1.05 and 0.98 in five runs with no change to the probe, so a 5 % goal read from it was a coin toss. Paired
 * calls see the same machine, so the drift cancels out of the ratio.
 *
 * <p>The figures are printed as {@code RESULT} lines when the trial ends (measurement iterations only);
 * JMH's own score is the time of one pair.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ProbeOverheadBenchmark {

    private BenchServer server;
    private HttpProbe probe;
    private OkHttpClient okHttp;
    private Request okRequest;
    /** Nanoseconds per call, up to a minute, 3 significant digits. */
    private final Histogram probeNanos = new Histogram(60_000_000_000L, 3);
    private final Histogram rawNanos = new Histogram(60_000_000_000L, 3);
    private boolean measuring;
    private long pairs;

    @Setup(Level.Trial)
    public void setUp() {
        server = BenchServer.start(0, 4);
        probe = HttpProbe.get(server.url()).status(200);
        okHttp = ProbeBenchmark.rawClient();
        okRequest = new Request.Builder().url(server.url()).get().build();
    }

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        measuring = params.getType() == IterationType.MEASUREMENT;
    }

    @Benchmark
    public long pair() throws IOException {
        // alternate which call goes first, so that neither always finds the connection pool and caches warm
        boolean probeFirst = (pairs++ & 1) == 0;
        long first = probeFirst ? timeProbe() : timeRaw();
        long second = probeFirst ? timeRaw() : timeProbe();
        return first + second;
    }

    private long timeProbe() {
        long start = System.nanoTime();
        if (!probe.check().ok()) {
            throw new IllegalStateException("probe failed during the benchmark");
        }
        long took = System.nanoTime() - start;
        if (measuring) probeNanos.recordValue(took);
        return took;
    }

    private long timeRaw() throws IOException {
        long start = System.nanoTime();
        ProbeBenchmark.okCall(okHttp, okRequest);
        long took = System.nanoTime() - start;
        if (measuring) rawNanos.recordValue(took);
        return took;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        okHttp.dispatcher().executorService().shutdown();
        okHttp.connectionPool().evictAll();
        server.close();
        double probeP50 = probeNanos.getValueAtPercentile(50) / 1e3;
        double rawP50 = rawNanos.getValueAtPercentile(50) / 1e3;
        // JMH prints this output after its "Iteration N:" label, on the same line: start on a fresh one
        System.out.printf("%nRESULT jmh paired.pairs %d n%n", probeNanos.getTotalCount());
        System.out.printf("RESULT jmh paired.httpProbe.p50 %.3f us%n", probeP50);
        System.out.printf("RESULT jmh paired.rawOkHttp.p50 %.3f us%n", rawP50);
        System.out.printf("RESULT jmh paired.httpProbe.p99 %.3f us%n", probeNanos.getValueAtPercentile(99) / 1e3);
        System.out.printf("RESULT jmh paired.rawOkHttp.p99 %.3f us%n", rawNanos.getValueAtPercentile(99) / 1e3);
        System.out.printf("RESULT jmh paired.probe/raw.p50 %.4f ratio%n", probeP50 / rawP50);
    }
}
