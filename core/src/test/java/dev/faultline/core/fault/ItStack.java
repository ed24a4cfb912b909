package dev.faultline.core.fault;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.testing.DockerCli;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.docker.Engines;
import dev.faultline.core.helper.Helpers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A throwaway Compose-like project for the faults' ITs: containers made with the docker CLI, carrying
 * the labels Compose sets, on a network of their own. {@link #close()} removes everything it made
 * and every helper of its run id, even after a failed test.
 */
final class ItStack implements AutoCloseable {

    static final String BASE = "faultline/debian:trixie";

    final Engine engine = Engines.docker();
    final String project;
    final String runId;
    final String network;
    final FaultContext context;
    private final List<String> containers = new ArrayList<>();

    ItStack(String area) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        project = "fl-faults-it-" + area + "-" + id;
        runId = "fl-faults-it-" + id;
        network = project + "-net";
        docker("network", "create", "--label", "fl-faults-it=" + project, network);
        context = new FaultContext(engine, new FakeTargets(engine, project), runId);
    }

    /** Starts a container of {@code service} (number 1) running {@code command} from the image. */
    ContainerInfo service(String service, String restartPolicy, String image, String... command) {
        return service(service, List.of("--restart", restartPolicy), image, command);
    }

    /** As above, with any {@code docker run} options (e.g. {@code --tmpfs}, {@code --memory}). */
    ContainerInfo service(String service, List<String> options, String image, String... command) {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", project + "-" + service + "-1", "--network", network));
        args.addAll(options);
        args.addAll(List.of(
                "--label", "com.docker.compose.project=" + project,
                "--label", "com.docker.compose.service=" + service,
                "--label", "com.docker.compose.container-number=1",
                image));
        args.addAll(List.of(command));
        String id = docker(args.toArray(String[]::new)).strip();
        containers.add(id);
        return engine.inspect(id);
    }

    /** The container's address on this stack's network. */
    String ip(ContainerInfo c) {
        return c.ipAddresses().get(network);
    }

    /** Runs a bash script in the container (60 s at most). */
    dev.faultline.core.engine.ExecResult sh(ContainerInfo c, String script) {
        return engine.exec(c.id(), List.of("bash", "-c", script), java.time.Duration.ofSeconds(60));
    }

    static String docker(String... args) {
        return DockerCli.run(args);
    }

    @Override
    public void close() {
        for (ContainerInfo helper : engine.containers(Map.of(Helpers.RUN_ID, runId), true)) {
            engine.remove(helper.id(), true);
        }
        containers.forEach(id -> engine.remove(id, true));
        try {
            docker("network", "rm", network);
        } catch (IllegalStateException e) {
            // reported by the test that left something attached; nothing more to do here
        }
    }
}
