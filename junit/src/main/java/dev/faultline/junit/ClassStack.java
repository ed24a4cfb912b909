package dev.faultline.junit;

import dev.faultline.core.time.Durations;
import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.docker.Engines;
import dev.faultline.core.engine.PublishedPort;
import dev.faultline.core.restore.Restoration;
import dev.faultline.core.restore.StackRestore;
import dev.faultline.dsl.Chaos;
import dev.faultline.dsl.Project;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stack of one {@link FaultlineTest} class: brought up (or attached to), restored between tests, taken
 * down if it was brought up here.
 */
final class ClassStack implements AutoCloseable {

    private static final Pattern SERVICE_PORT = Pattern.compile("([A-Za-z0-9][A-Za-z0-9_.-]*):(\\d{1,5})(/.*)?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern PREFIX = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    private static final Duration DOWN_TIMEOUT = Duration.ofMinutes(2);

    /** Projects in use by a test class of this JVM: project name to class name. */
    private static final ConcurrentMap<String, String> IN_USE = new ConcurrentHashMap<>();

    private final String testClass;
    private final String project;
    private final boolean owned;
    private final List<Path> files;
    private final Map<String, String> env;
    private final Duration timeout;
    private volatile boolean upAttempted;
    private volatile boolean closed;
    private Optional<String> healthUrl = Optional.empty();
    private StackRestore restore;

    private ClassStack(String testClass, String project, boolean owned, List<Path> files, Map<String, String> env,
            Duration timeout) {
        this.testClass = testClass;
        this.project = project;
        this.owned = owned;
        this.files = files;
        this.env = env;
        this.timeout = timeout;
    }

    /**
     * Validates the annotation (before anything is touched), claims the project, brings it up if the class
     * names compose files, waits for the steady state. The returned stack must be closed even when this
     * throws half-way: {@link #close()} takes down whatever was started.
     */
    static ClassStack prepare(Class<?> testClass, FaultlineTest cfg) {
        String where = "@FaultlineTest on " + testClass.getName() + ": ";
        if (cfg.timeoutSeconds() < 1 || cfg.timeoutSeconds() > 3600) {
            throw new IllegalArgumentException(where + "timeoutSeconds must be in [1, 3600], got " + cfg.timeoutSeconds());
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : cfg.env()) {
            int eq = entry.indexOf('=');
            if (eq < 1 || !ENV_NAME.matcher(entry.substring(0, eq)).matches()) {
                throw new IllegalArgumentException(where + "env entries must be NAME=value, got '" + entry + "'");
            }
            env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        if (!cfg.portVariable().isEmpty() && !ENV_NAME.matcher(cfg.portVariable()).matches()) {
            throw new IllegalArgumentException(where + "portVariable must be an environment variable name, got '"
                    + cfg.portVariable() + "'");
        }
        if (!cfg.health().isEmpty() && !SERVICE_PORT.matcher(cfg.health()).matches()
                && !cfg.health().startsWith("http://") && !cfg.health().startsWith("https://")) {
            throw new IllegalArgumentException(where + "health must be 'service:port/path' or an http(s):// URL, got '"
                    + cfg.health() + "'");
        }
        Duration timeout = Duration.ofSeconds(cfg.timeoutSeconds());
        ClassStack stack;
        if (cfg.compose().length == 0) {
            if (cfg.project().isBlank()) {
                throw new IllegalArgumentException(where + "name compose files, or the running project to use");
            }
            if (!cfg.portVariable().isEmpty()) {
                throw new IllegalArgumentException(where + "portVariable needs compose files (a running project's ports are fixed)");
            }
            stack = new ClassStack(testClass.getName(), cfg.project(), false, List.of(), env, timeout);
        } else {
            List<Path> files = new ArrayList<>();
            for (String f : cfg.compose()) {
                Path p = Path.of(f).toAbsolutePath().normalize();
                if (!Files.isRegularFile(p)) {
                    throw new IllegalArgumentException(where + "compose file '" + f + "' does not exist (looked for " + p
                            + " from " + Path.of("").toAbsolutePath() + ")");
                }
                files.add(p);
            }
            String prefix = cfg.project().isBlank()
                    ? testClass.getSimpleName().replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT)
                    : cfg.project();
            if (!PREFIX.matcher(prefix).matches() || prefix.length() > 40) {
                throw new IllegalArgumentException(where + "project must be lower-case letters, digits, '-' or '_' "
                        + "(1 to 40, starting with a letter or digit), got '" + prefix + "'");
            }
            if (!cfg.portVariable().isEmpty()) {
                env.put(cfg.portVariable(), Integer.toString(freePort()));
            }
            String project = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
            stack = new ClassStack(testClass.getName(), project, true, List.copyOf(files), Map.copyOf(env), timeout);
        }
        String other = IN_USE.putIfAbsent(stack.project, stack.testClass);
        if (other != null) {
            throw new IllegalStateException(where + "project '" + stack.project + "' is in use by " + other
                    + ", which runs at the same time; one class restores and injects faults into a stack at a time. "
                    + "Run them one after the other, or give each its own stack with compose files");
        }
        return stack;
    }

    /** Brings the stack up (when owned) and waits for the steady state. */
    ClassStack start(FaultlineTest cfg) {
        long t0 = System.nanoTime();
        Engine engine = Engines.docker();
        String how = "attached to the running project";
        if (owned) {
            Compose compose = Compose.find();
            upAttempted = true;
            Compose.Result up = compose.run(project, files, env, List.of("up", "-d"), timeout);
            if (!up.ok()) {
                String output = up.output().strip();
                if (output.contains("port is already allocated") || output.contains("address already in use")) {
                    throw new IllegalStateException("@FaultlineTest on " + testClass + ": project '" + project
                            + "' could not start: a host port it publishes is taken (by another test class running in "
                            + "parallel, or another stack). Publish the port through a variable and name it in "
                            + "@FaultlineTest(portVariable = ...), or run the classes one after the other.\n" + tail(output));
                }
                throw new IllegalStateException("@FaultlineTest on " + testClass + ": " + compose.name() + " up -d failed for project '"
                        + project + "' (exit " + up.exitCode() + "):\n" + tail(output));
            }
            how = "started with " + compose.name() + " from " + files.get(0).getFileName();
        }
        // the helper image the faults (and the restore's rule sweep) run their tools in, built now if missing,
        // so that no test's timing pays for it
        Chaos.prepare();
        healthUrl = resolveHealth(engine, cfg.health());
        StackRestore r = StackRestore.capture(engine, project).timeout(timeout);
        if (healthUrl.isPresent()) {
            r = r.healthUrl(healthUrl.get());
        }
        if (owned) {
            Compose compose = Compose.find();
            r = r.recreateWith(() -> {
                Compose.Result up = compose.run(project, files, env, List.of("up", "-d"), timeout);
                if (!up.ok()) {
                    throw new IllegalStateException(compose.name() + " up -d failed (exit " + up.exitCode() + "): " + tail(up.output()));
                }
            });
        }
        restore = r;
        r.restore(); // waits for the steady state; a fresh stack needs no repair
        System.out.printf("faultline: %s: project %s %s, steady after %s%s%n", simpleName(), project, how,
                Durations.words(Duration.ofNanos(System.nanoTime() - t0)), healthUrl.map(u -> " (" + u + ")").orElse(""));
        return this;
    }

    String project() {
        return project;
    }

    /** The project for injection, its runs reporting under {@code reports}. */
    Project projectFor(Path reports) {
        Project p = Chaos.project(project).reportTo(reports);
        return healthUrl.map(p::healthUrl).orElse(p);
    }

    Restoration restore() {
        return restore.restore();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (owned && upAttempted) {
                Compose compose = Compose.find();
                Compose.Result down = compose.run(project, files, env, List.of("down", "-v", "--remove-orphans"), DOWN_TIMEOUT);
                if (!down.ok()) {
                    throw new IllegalStateException("@FaultlineTest on " + testClass + ": " + compose.name()
                            + " down -v failed for project '" + project + "' (exit " + down.exitCode() + "):\n" + tail(down.output()));
                }
                System.out.printf("faultline: %s: project %s taken down (containers, network, volumes)%n", simpleName(), project);
            } else if (!owned) {
                System.out.printf("faultline: %s: project %s left running (this class did not start it)%n", simpleName(), project);
            }
        } finally {
            IN_USE.remove(project, testClass);
        }
    }

    private Optional<String> resolveHealth(Engine engine, String health) {
        if (health.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = SERVICE_PORT.matcher(health);
        if (!m.matches()) {
            String url = health;
            for (Map.Entry<String, String> e : env.entrySet()) {
                url = url.replace("${" + e.getKey() + "}", e.getValue());
            }
            return Optional.of(url);
        }
        String service = m.group(1);
        int port = Integer.parseInt(m.group(2));
        String path = m.group(3) == null ? "/" : m.group(3);
        List<ContainerInfo> containers = engine.containers(Map.of("com.docker.compose.project", project,
                "com.docker.compose.service", service), true);
        for (ContainerInfo c : containers) {
            for (PublishedPort p : c.ports()) {
                if (p.containerPort() == port && p.hostPort() > 0) {
                    return Optional.of("http://localhost:" + p.hostPort() + path);
                }
            }
        }
        throw new IllegalStateException("@FaultlineTest on " + testClass + ": health '" + health + "': "
                + (containers.isEmpty() ? "project '" + project + "' has no service '" + service + "'"
                        : "service '" + service + "' publishes no host port for container port " + port + " (ports: "
                                + containers.get(0).ports() + ")"));
    }

    private String simpleName() {
        return testClass.substring(testClass.lastIndexOf('.') + 1);
    }

    private static String tail(String output) {
        List<String> lines = Arrays.asList(output.split("\n"));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not find a free port", e);
        }
    }
}
