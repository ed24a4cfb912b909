package dev.faultline.benchmarks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The trivial loopback HTTP server every client is measured against: {@code GET /} answers 200 with a
 * 3-byte body. The JDK's HttpServer on a fixed pool, so it needs nothing installed and behaves the same for
 * every tool. As a program ({@code BenchServer PORT THREADS}) it runs in its own JVM, so that a load
 * generator and the server do not share a heap, and so that SIGSTOP can pause the server alone.
 */
public final class BenchServer implements AutoCloseable {

    private static final byte[] BODY = "ok\n".getBytes(StandardCharsets.US_ASCII);

    static {
        // Without TCP_NODELAY the server's headers and body go out as two segments, the second held back by
        // Nagle until the client's delayed ACK (40 ms): every request would take 40 ms. Read once, when the
        // JDK's server configuration class loads, so it must be set before the first server is made.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService pool;

    private BenchServer(HttpServer server, ExecutorService pool) {
        this.server = server;
        this.pool = pool;
    }

    /** Starts on 127.0.0.1:{@code port} (0: any free port) with {@code threads} handler threads. */
    public static BenchServer start(int port, int threads) {
        if (threads < 1 || threads > 4096) {
            throw new IllegalArgumentException("threads must be in [1, 4096], got " + threads);
        }
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "bench-server");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(pool);
            server.createContext("/", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
                    exchange.getResponseHeaders().add("Content-Type", "text/plain");
                    exchange.sendResponseHeaders(200, BODY.length);
                    exchange.getResponseBody().write(BODY);
                }
            });
            server.start();
            return new BenchServer(server, pool);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the bench server on port " + port, e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 18080;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        // sun.net.httpserver keeps idle connections 30 s by default; the clients here reuse theirs
        BenchServer server = start(port, threads);
        System.out.println("bench server ready on " + server.url() + " with " + threads + " threads");
        Thread.currentThread().join();
    }
}
