package dev.faultline.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Compose command line the machine has: {@code docker-compose} (v1) when installed, else the
 * {@code docker compose} plugin (v2). Both take the same {@code -p}, {@code -f}, {@code up -d} and
 * {@code down -v --remove-orphans} used here.
 */
final class Compose {

    /** What one call printed and how it ended. */
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private static volatile Compose found;

    private final List<String> command;

    private Compose(List<String> command) {
        this.command = List.copyOf(command);
    }

    /** Found once per JVM. */
    static Compose find() {
        Compose c = found;
        if (c == null) {
            if (answers(List.of("docker-compose", "version"))) {
                c = new Compose(List.of("docker-compose"));
            } else if (answers(List.of("docker", "compose", "version"))) {
                c = new Compose(List.of("docker", "compose"));
            } else {
                throw new IllegalStateException("@FaultlineTest needs Docker Compose: neither 'docker-compose' (v1) nor "
                        + "'docker compose' (v2) answers on this machine's PATH");
            }
            found = c;
        }
        return c;
    }

    String name() {
        return String.join(" ", command);
    }

    /** Runs {@code <compose> -p project -f file... args}, the files' folder as the project directory. */
    Result run(String project, List<Path> files, Map<String, String> env, List<String> args, Duration timeout) {
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of("-p", project, "--project-directory", files.get(0).getParent().toString()));
        files.forEach(f -> full.addAll(List.of("-f", f.toString())));
        full.addAll(args);
        return exec(full, env, timeout);
    }

    private static boolean answers(List<String> probe) {
        try {
            return exec(probe, Map.of(), Duration.ofSeconds(30)).ok();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Result exec(List<String> command, Map<String, String> env, Duration timeout) {
        try {
            Path log = Files.createTempFile("faultline-compose-", ".log");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().putAll(env);
                Process p = pb.start();
                p.getOutputStream().close();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                    return new Result(124, String.join(" ", command) + " did not finish within " + timeout.toSeconds()
                            + " s\n" + Files.readString(log, StandardCharsets.UTF_8));
                }
                return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
