package dev.faultline.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The demo stack (Nginx -> Gunicorn/Django -> PostgreSQL) for integration tests, through the
 * contract of {@code demo/up.sh} and {@code demo/down.sh}: a unique Compose project and a free
 * port per instance, so tests in different modules (and helpers) can run stacks side by side.
 *
 * <pre>{@code
 * @RegisterExtension static DemoStack demo = DemoStack.resilient("fl-engine");
 * ... HttpProbe.get(demo.healthUrl()) ...
 * }</pre>
 *
 * Or without JUnit's lifecycle: {@code try (DemoStack demo = DemoStack.fragile("fl-x").start()) {...}}.
 * {@link #close()} always takes the project down (containers, network, volume).
 */
public final class DemoStack implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    /** Building the images on a fresh machine takes minutes; up.sh itself waits up to 120 s for health. */
    private static final long UP_TIMEOUT_SECONDS = 600;
    private static final long DOWN_TIMEOUT_SECONDS = 120;

    private final String config;
    private final String project;
    private final int port;
    private volatile boolean started;

    private DemoStack(String prefix, String config) {
        if (!prefix.matches("[a-z0-9][a-z0-9_-]*")) {
            throw new IllegalArgumentException("prefix must be lower-case letters, digits, '-' or '_', got '" + prefix + "'");
        }
        this.config = config;
        this.project = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        this.port = freePort();
    }

    /** Restart policies, healthchecks, DB health checks, 3 workers, Nginx retries. */
    public static DemoStack resilient(String prefix) {
        return new DemoStack(prefix, "resilient");
    }

    /** Each of the resilient stack's safeguards missing. */
    public static DemoStack fragile(String prefix) {
        return new DemoStack(prefix, "fragile");
    }

    /** Acknowledges some writes it never commits (for write-loss tests). */
    public static DemoStack lossy(String prefix) {
        return new DemoStack(prefix, "lossy");
    }

    /**
     * An app that keeps its database connections: Django CONN_MAX_AGE=None without connection health
     * checks, 2 Gunicorn workers, no health checks, nginx proxy_read_timeout 3 s (a slow database shows
     * as 504s). A fault that only catches new connections reaches nothing here.
     */
    public static DemoStack pooled(String prefix) {
        return new DemoStack(prefix, "pooled");
    }

    public String project() {
        return project;
    }

    public String config() {
        return config;
    }

    public int port() {
        return port;
    }

    /** {@code http://localhost:<port>} */
    public String baseUrl() {
        return "http://localhost:" + port;
    }

    public String healthUrl() {
        return baseUrl() + "/health/";
    }

    /** Runs {@code demo/up.sh -p <project> <config>} with {@code DEMO_PORT}; returns when /health/ answers 200. */
    public DemoStack start() {
        started = true; // from here on, close() must take it down even if up.sh fails half-way
        run(List.of(script("up.sh").toString(), "-p", project, config), UP_TIMEOUT_SECONDS);
        return this;
    }

    @Override
    public void close() {
        if (started) {
            started = false;
            run(List.of(script("down.sh").toString(), "-p", project), DOWN_TIMEOUT_SECONDS);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** The repository root: the failsafe property {@code faultline.repo.root}, else the first parent holding demo/up.sh. */
    public static Path repoRoot() {
        String property = System.getProperty("faultline.repo.root");
        if (property != null && Files.isRegularFile(Path.of(property, "demo", "up.sh"))) {
            return Path.of(property);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("demo/up.sh"))) return p;
        }
        throw new IllegalStateException("demo/up.sh not found from " + Path.of("").toAbsolutePath()
                + " upwards; set -Dfaultline.repo.root to the repository");
    }

    private static Path script(String name) {
        return repoRoot().resolve("demo").resolve(name);
    }

    private void run(List<String> command, long timeoutSeconds) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DEMO_PORT", Integer.toString(port));
        try {
            Path log = Files.createTempFile("fl-demo-" + project + "-", ".log");
            pb.redirectOutput(log.toFile());
            Process process = pb.start();
            boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            if (!finished || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " (DEMO_PORT=" + port + ") "
                        + (finished ? "exited " + process.exitValue() : "did not finish in " + timeoutSeconds + " s")
                        + "; its output ends with:\n" + tail(output, 60));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    private static String tail(String text, int lines) {
        List<String> all = new ArrayList<>(text.lines().toList());
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "DemoStack[%s, %s, port %d]", project, config, port);
    }
}
