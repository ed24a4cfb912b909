package dev.faultline.benchmarks;

import dev.faultline.core.probe.HttpProbe;
import dev.faultline.core.probe.Probe;
import dev.faultline.core.steadystate.SteadyState;
import dev.faultline.core.steadystate.SteadyStateCheck;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A steady-state check of N HTTP probes (SteadyState runs them one after the other) against N raw
 * OkHttp calls to the same server: the check's cost per probe should stay flat as N grows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class SteadyStateBenchmark {

    @Param({"1", "4", "16"})
    public int probes;

    private BenchServer server;
    private SteadyState steadyState;
    private OkHttpClient okHttp;
    private Request okRequest;

    @Setup(Level.Trial)
    public void setUp() {
        server = BenchServer.start(0, 4);
        Probe[] all = new Probe[probes];
        for (int i = 0; i < probes; i++) {
            // distinct paths so that they are distinct probes, as in a real steady state
            all[i] = HttpProbe.get(server.url() + "p" + i).status(200);
        }
        steadyState = SteadyState.of(all[0], java.util.Arrays.copyOfRange(all, 1, all.length));
        okHttp = ProbeBenchmark.rawClient();
        okRequest = new Request.Builder().url(server.url() + "p0").get().build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        okHttp.connectionPool().evictAll();
        server.close();
    }

    @Benchmark
    public SteadyStateCheck steadyStateCheck() {
        SteadyStateCheck check = steadyState.check();
        if (!check.holds()) {
            throw new IllegalStateException("steady state failed during the benchmark: " + check.describeFailure());
        }
        return check;
    }

    @Benchmark
    public void rawOkHttpCalls(Blackhole bh) throws IOException {
        for (int i = 0; i < probes; i++) {
            bh.consume(ProbeBenchmark.okCall(okHttp, okRequest));
        }
    }
}
