package dev.faultline.benchmarks;

import dev.faultline.core.probe.HttpProbe;
import dev.faultline.core.probe.ProbeResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
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

/**
 * One HTTP GET to the same loopback server three ways: {@link HttpProbe#check()}, the raw OkHttp call it
 * wraps (a client configured like the probe's: same timeouts, no retries, the body read), and the JDK's
 * HttpClient. The probe's overhead is {@code httpProbe / rawOkHttp}; the goal is within 5 %.
 *
 * <p>Iterations are short (make bench must fit in 30 minutes on 2 cores): the confidence intervals JMH
 * prints are the honest width of these figures.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 3)
@Fork(1)
public class ProbeBenchmark {

    private BenchServer server;
    private HttpProbe probe;
    private OkHttpClient okHttp;
    private Request okRequest;
    private HttpClient jdk;
    private HttpRequest jdkRequest;

    @Setup(Level.Trial)
    public void setUp() {
        server = BenchServer.start(0, 4);
        probe = HttpProbe.get(server.url()).status(200);
        okHttp = rawClient();
        okRequest = new Request.Builder().url(server.url()).get().build();
        jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        jdkRequest = HttpRequest.newBuilder(URI.create(server.url())).timeout(Duration.ofSeconds(5)).GET().build();
    }

    /** Configured like HttpProbe's shared client, so that only the wrapper differs. */
    static OkHttpClient rawClient() {
        return new OkHttpClient.Builder()
                .connectTimeout(5, TimeUnit.SECONDS)
                .readTimeout(30, TimeUnit.SECONDS)
                .writeTimeout(10, TimeUnit.SECONDS)
                .callTimeout(60, TimeUnit.SECONDS)
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        okHttp.dispatcher().executorService().shutdown();
        okHttp.connectionPool().evictAll();
        server.close();
    }

    @Benchmark
    public ProbeResult httpProbe() {
        ProbeResult result = probe.check();
        if (!result.ok()) {
            throw new IllegalStateException("probe failed during the benchmark: " + result.detail());
        }
        return result;
    }

    @Benchmark
    public String rawOkHttp() throws IOException {
        return okCall(okHttp, okRequest);
    }

    static String okCall(OkHttpClient client, Request request) throws IOException {
        try (Response response = client.newCall(request).execute()) {
            if (response.code() != 200) {
                throw new IllegalStateException("status " + response.code());
            }
            return response.body().string();
        }
    }

    @Benchmark
    public String jdkHttpClient() throws IOException, InterruptedException {
        HttpResponse<String> response = jdk.send(jdkRequest, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("status " + response.statusCode());
        }
        return response.body();
    }
}
