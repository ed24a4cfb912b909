package dev.faultline.benchmarks;

import dev.faultline.core.proxy.Direction;
import dev.faultline.core.proxy.ProxyConfig;
import dev.faultline.core.proxy.Toxic;
import dev.faultline.core.proxy.ToxicProxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The TCP proxy against a direct connection and socat (a plain forwarder) to the same loopback servers:
 * round-trip time of a 64-byte echo (its increase over direct is the proxy's added latency), the same with
 * a 50 ms latency toxic (how exact the delay is), and throughput of a 1 GiB stream into a discarding sink.
 */
public final class ProxyBench {

    private static final String SECTION = "proxy";

    public static void main(String[] args) throws Exception {
        int roundTrips = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        long streamBytes = args.length > 1 ? Long.parseLong(args[1]) : 1L << 30;
        String socat = args.length > 2 ? args[2] : "socat";
        try (Server echo = Server.echo(); Server sink = Server.sink();
             ToxicProxy echoProxy = proxy("bench-echo", echo.port());
             ToxicProxy sinkProxy = proxy("bench-sink", sink.port());
             Socat echoSocat = Socat.start(socat, echo.port());
             Socat sinkSocat = Socat.start(socat, sink.port())) {
            // interleaved rounds, so that drift of the machine hits every path alike
            Histogram direct = Results.histogram();
            Histogram proxied = Results.histogram();
            Histogram socated = Results.histogram();
            for (int round = 0; round < 4; round++) {
                roundTrips(echo.port(), roundTrips / 4, direct, round == 0);
                roundTrips(echoProxy.port(), roundTrips / 4, proxied, round == 0);
                roundTrips(echoSocat.port, roundTrips / 4, socated, round == 0);
            }
            Results.percentilesMicros(SECTION, "rtt.direct", direct, true);
            Results.percentilesMicros(SECTION, "rtt.toxicproxy", proxied, true);
            Results.percentilesMicros(SECTION, "rtt.socat", socated, true);
            Results.print(SECTION, "added.toxicproxy.p50", (proxied.getValueAtPercentile(50) - direct.getValueAtPercentile(50)) / 1e3, "us");
            Results.print(SECTION, "added.toxicproxy.p99", (proxied.getValueAtPercentile(99) - direct.getValueAtPercentile(99)) / 1e3, "us");
            Results.print(SECTION, "added.socat.p50", (socated.getValueAtPercentile(50) - direct.getValueAtPercentile(50)) / 1e3, "us");
            Results.print(SECTION, "added.socat.p99", (socated.getValueAtPercentile(99) - direct.getValueAtPercentile(99)) / 1e3, "us");

            echoProxy.addToxic("bench-latency", Direction.DOWNSTREAM, Toxic.latency(Duration.ofMillis(50)));
            Histogram delayed = Results.histogram();
            roundTrips(echoProxy.port(), 200, delayed, true);
            Results.percentilesMicros(SECTION, "rtt.toxicproxy.latency50ms", delayed, false);
            Results.print(SECTION, "latency50ms.error.p50", (delayed.getValueAtPercentile(50) - proxied.getValueAtPercentile(50)) / 1e3 - 50_000, "us");
            Results.print(SECTION, "latency50ms.error.p99", (delayed.getValueAtPercentile(99) - proxied.getValueAtPercentile(50)) / 1e3 - 50_000, "us");
            echoProxy.removeAllToxics();

            // throughput: each path twice, alternating, best of two (the first pass also warms the JIT)
            double[] best = new double[3];
            for (int pass = 0; pass < 2; pass++) {
                best[0] = Math.max(best[0], stream(sink, sink.port(), streamBytes));
                best[1] = Math.max(best[1], stream(sink, sinkProxy.port(), streamBytes));
                best[2] = Math.max(best[2], stream(sink, sinkSocat.port, streamBytes));
            }
            Results.print(SECTION, "throughput.direct", best[0], "MiB/s");
            Results.print(SECTION, "throughput.toxicproxy", best[1], "MiB/s");
            Results.print(SECTION, "throughput.socat", best[2], "MiB/s");
            Results.print(SECTION, "throughput.toxicproxy/socat", best[1] / best[2], "ratio");
        }
    }

    static ToxicProxy proxy(String name, int upstreamPort) {
        return ToxicProxy.start(ProxyConfig.custom().name(name).listen("127.0.0.1", 0)
                .upstream("127.0.0.1", upstreamPort).build());
    }

    /** Round trips of 64 bytes on one connection; the first 1000 of a warm-up round are not recorded. */
    static void roundTrips(int port, int count, Histogram into, boolean warmUp) throws IOException {
        byte[] message = new byte[64];
        byte[] answer = new byte[64];
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            int skip = warmUp ? Math.min(1000, count / 2) : 0;
            for (int i = 0; i < count + skip; i++) {
                long start = System.nanoTime();
                out.write(message);
                out.flush();
                int read = 0;
                while (read < answer.length) {
                    int n = in.read(answer, read, answer.length - read);
                    if (n < 0) {
                        throw new IOException("echo closed after " + read + " bytes (port " + port + ")");
                    }
                    read += n;
                }
                if (i >= skip) {
                    into.recordValue(System.nanoTime() - start);
                }
            }
        }
    }

    /** Writes {@code bytes} through {@code port} and returns MiB/s until the sink has them all. */
    static double stream(Server sink, int port, long bytes) throws Exception {
        byte[] chunk = new byte[64 * 1024];
        CountDownLatch done = sink.expect(bytes);
        long start = System.nanoTime();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            for (long sent = 0; sent < bytes; sent += chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, bytes - sent));
            }
            out.flush();
            if (!done.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the sink did not receive " + bytes + " bytes through port " + port);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return bytes / (1024.0 * 1024.0) / seconds;
    }

    /** A thread-per-connection server: echo, or a sink counting what it discards. */
    static final class Server implements AutoCloseable {
        private final ServerSocket socket;
        private final boolean echo;
        private final List<Socket> accepted = new ArrayList<>();
        private final AtomicLong received = new AtomicLong();
        private volatile long target = Long.MAX_VALUE;
        private volatile CountDownLatch reached = new CountDownLatch(1);

        private Server(boolean echo) throws IOException {
            this.echo = echo;
            this.socket = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::accept, echo ? "bench-echo" : "bench-sink");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        static Server echo() throws IOException {
            return new Server(true);
        }

        static Server sink() throws IOException {
            return new Server(false);
        }

        int port() {
            return socket.getLocalPort();
        }

        synchronized CountDownLatch expect(long bytes) {
            received.set(0);
            reached = new CountDownLatch(1);
            target = bytes;
            return reached;
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    s.setTcpNoDelay(true);
                    synchronized (accepted) {
                        accepted.add(s);
                    }
                    Thread t = new Thread(() -> serve(s), "bench-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket s) {
            byte[] buffer = new byte[64 * 1024];
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (echo) {
                        out.write(buffer, 0, n);
                        out.flush();
                    } else if (received.addAndGet(n) >= target) {
                        reached.countDown();
                    }
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            synchronized (accepted) {
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }

    /** socat as a plain forwarder from a free loopback port to {@code upstreamPort}. */
    static final class Socat implements AutoCloseable {
        final int port;
        private final Process process;

        private Socat(int port, Process process) {
            this.port = port;
            this.process = process;
        }

        static Socat start(String executable, int upstreamPort) throws Exception {
            int port;
            try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = free.getLocalPort();
            }
            Process process = new ProcessBuilder(executable, "TCP-LISTEN:" + port + ",bind=127.0.0.1,reuseaddr,fork",
                    "TCP:127.0.0.1:" + upstreamPort + ",nodelay").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    return new Socat(port, process);
                } catch (IOException notYet) {
                    if (System.nanoTime() > deadline || !process.isAlive()) {
                        process.destroyForcibly();
                        throw new UncheckedIOException("socat did not listen on " + port, notYet);
                    }
                    Thread.sleep(20);
                }
            }
        }

        @Override
        public void close() {
            process.destroy();
        }
    }
}
