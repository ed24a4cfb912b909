package dev.faultline.core.testing;

import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.docker.Engines;
import dev.faultline.core.helper.HelperImage;
import dev.faultline.core.swarm.SwarmEngine;
import dev.faultline.core.swarm.SwarmStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The test swarm (tools/swarm/up.sh): three engines in containers on a bridge network of their own, one
 * manager and two workers, with the demo deployed as stack {@code shop}. One cluster per test JVM, shared by
 * every class that uses the extension (kept in the root context's store, so JUnit closes it once, after the
 * last class), and removed by tools/swarm/down.sh however the tests ended. A cluster whose JVM was killed is
 * removed by the next up.sh (its owner label names this JVM's pid and start time).
 *
 * <pre>{@code @ExtendWith(TestSwarm.class) class SomeIT { ... TestSwarm.get() ... }}</pre>
 */
public final class TestSwarm implements BeforeAllCallback {

    private static final Path ROOT = findRoot();
    private static final Map<String, Cluster> CLUSTERS = new ConcurrentHashMap<>();

    /** What up.sh made, and the engines to reach it. */
    public record Cluster(String id, String managerEndpoint, Map<String, String> nodeAddresses,
            Map<String, String> nodeContainers, String stackName, String url, SwarmEngine engine, Engine machines)
            implements AutoCloseable {

        public SwarmStack stack() {
            return SwarmStack.named(engine, stackName);
        }

        @Override
        public void close() {
            down(id);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(TestSwarm.class.getName(), k -> CLUSTERS.computeIfAbsent("one", x -> up()), Cluster.class);
    }

    /** The cluster of this JVM; {@link #beforeAll} brought it up. */
    public static Cluster get() {
        Cluster c = CLUSTERS.get("one");
        if (c == null) {
            throw new IllegalStateException("no test swarm: annotate the class with @ExtendWith(TestSwarm.class)");
        }
        return c;
    }

    static Cluster up() {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        Engine machines = Engines.docker();
        String helper = HelperImage.fromSystemProperties().ensure(machines);
        Path env;
        try {
            env = Files.createTempFile("faultline-swarm-" + id, ".env");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> down(id), "faultline-swarm-down-" + id));
        run(600, "tools/swarm/up.sh", "-i", id, "-o", owner(), "-f", env.toString(), "-I", helper);
        Map<String, String> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(env)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.put(line.substring(0, eq), line.substring(eq + 1).replace("'", ""));
                }
            }
            Files.deleteIfExists(env);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> addresses = pairs(values.get("SWARM_NODES"));
        Map<String, String> containers = pairs(values.get("SWARM_NODE_CONTAINERS"));
        String manager = values.get("SWARM_MANAGER");
        SwarmEngine engine = SwarmEngine.of(Engines.connect(manager),
                node -> Engines.connect("tcp://" + addresses.getOrDefault(node.hostname(), node.address()) + ":2375"))
                .withMachines(machines, containers);
        return new Cluster(id, manager, addresses, containers, values.get("SWARM_STACK"), values.get("SWARM_URL"), engine, machines);
    }

    static void down(String id) {
        if (CLUSTERS.values().stream().anyMatch(c -> c.id().equals(id))) {
            CLUSTERS.remove("one");
        }
        run(180, "tools/swarm/down.sh", id);
    }

    private static Map<String, String> pairs(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : text == null ? new String[0] : text.trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                map.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return map;
    }

    /** This JVM as up.sh's owner label: pid and start time, so that a reused pid is never taken for it. */
    private static String owner() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return ProcessHandle.current().pid() + ":" + fields[19];
        } catch (IOException e) {
            return "user";
        }
    }

    private static void run(long timeoutSeconds, String... command) {
        try {
            Process p = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + p.exitValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path findRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("tools/swarm/up.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("tools/swarm/up.sh not found above " + Path.of("").toAbsolutePath());
    }
}
