package dev.faultline.core.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small keep-alive HTTP/1.1 server on loopback, thread per connection, cheap enough for 1000
 * requests/s on a busy 2-core machine: "/" answers 200, "/status/N" answers N, "/orders" answers 201
 * with a fresh id; while paused or stalled, requests wait. Every request's method, path, body and X-Test header are kept.
 */
public final class TestServer implements AutoCloseable {

    public record Seen(String method, String path, String body, String header) {}

    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
    public final Queue<Seen> seen = new ConcurrentLinkedQueue<>();
    private final Object pauseLock = new Object();
    private boolean paused; // guarded by pauseLock
    private long stallNextNanos; // guarded by pauseLock
    private long stalledUntil = System.nanoTime(); // guarded by pauseLock

    public TestServer() throws IOException {
        server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "test-server-accept");
        t.setDaemon(true);
        t.start();
    }

    /** Connections accepted since the start, closed ones included. */
    public int acceptedConnections() {
        return accepted.get();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/";
    }

    /**
     * The next request to arrive stalls the server for {@code duration} from its arrival: it and every
     * request arriving meanwhile are answered only then.
     */
    void stallNext(Duration duration) {
        synchronized (pauseLock) {
            stallNextNanos = duration.toNanos();
        }
    }

    void pause(boolean pause) {
        synchronized (pauseLock) {
            paused = pause;
            pauseLock.notifyAll();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "test-server-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream());
             OutputStream out = new BufferedOutputStream(socket.getOutputStream())) {
            socket.setTcpNoDelay(true);
            while (true) {
                String requestLine = line(in);
                if (requestLine == null) return;
                String[] parts = requestLine.split(" ");
                int length = 0;
                String testHeader = null;
                String header;
                while ((header = line(in)) != null && !header.isEmpty()) {
                    int colon = header.indexOf(':');
                    String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = header.substring(colon + 1).trim();
                    if (name.equals("content-length")) length = Integer.parseInt(value);
                    if (name.equals("x-test")) testHeader = value;
                }
                String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                String path = parts[1];
                seen.add(new Seen(parts[0], path, body, testHeader));
                waitWhilePaused();
                int status = 200;
                String reply = "ok";
                if (path.startsWith("/status/")) {
                    status = Integer.parseInt(path.substring("/status/".length()));
                } else if (path.startsWith("/orders")) {
                    status = 201;
                    reply = "{\"id\": " + ids.incrementAndGet() + ", \"item\": \"x\"}";
                }
                byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(bytes);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // client went away or server closed
        } finally {
            sockets.remove(socket);
        }
    }

    private void waitWhilePaused() throws InterruptedException {
        synchronized (pauseLock) {
            long now = System.nanoTime();
            if (stallNextNanos > 0) {
                stalledUntil = now + stallNextNanos;
                stallNextNanos = 0;
            }
            while (paused || System.nanoTime() - stalledUntil < 0) {
                if (paused) {
                    pauseLock.wait();
                } else {
                    long left = stalledUntil - System.nanoTime();
                    pauseLock.wait(left / 1_000_000, (int) (left % 1_000_000));
                }
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') break;
            if (c != '\r') b.write(c);
        }
        if (c < 0 && b.size() == 0) return null;
        return b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        pause(false);
        server.close();
        for (Socket s : sockets) s.close();
    }
}
