package dev.faultline.core.status;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ContainerState;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.EngineException;
import dev.faultline.core.engine.EngineInfo;
import dev.faultline.core.engine.ExecResult;
import dev.faultline.core.engine.Health;
import dev.faultline.core.target.ComposeStack;
import dev.faultline.core.target.Targets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Looks at a stack and says what a team should hear before any experiment. */
public final class StatusCheck {

    private static final Logger log = LoggerFactory.getLogger(StatusCheck.class);
    private static final String NO_PORT = "no published port";
    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(5);

    private StatusCheck() {}

    /** Where the project name came from is taken from the stack. */
    public static StackStatus of(Engine engine, ComposeStack stack) {
        return of(engine, stack, stack.source());
    }

    /**
     * @param projectSource where the project name came from, for the header line
     */
    public static StackStatus of(Engine engine, Targets stack, String projectSource) {
        EngineInfo info = engine.info();
        List<ServiceStatus> services = new ArrayList<>();
        for (String service : stack.services()) {
            services.add(service(engine, service, stack.containers(service)));
        }
        // Behind a proxy only the proxy publishes a port; warn about unpublished services only
        // when nothing in the stack can be reached from the host.
        boolean anyPublished = services.stream().flatMap(s -> s.containers().stream())
                .anyMatch(c -> c.ports().stream().anyMatch(p -> p.hostPort() != 0));
        if (anyPublished) {
            services.replaceAll(s -> new ServiceStatus(s.service(), s.containers(), s.gunicornWorkers(),
                    s.warnings().stream().filter(w -> !w.message().startsWith(NO_PORT)).toList()));
        }
        return new StackStatus(stack.project(), projectSource, info, Instant.now(), services);
    }

    static ServiceStatus service(Engine engine, String service, List<ContainerInfo> containers) {
        List<Warning> warnings = new ArrayList<>();
        Map<String, Integer> workers = new LinkedHashMap<>();
        boolean anyWithoutRestart = containers.stream().anyMatch(c -> !c.restartPolicy().restartsAfterCrash());
        boolean anyWithoutHealthcheck = containers.stream().anyMatch(c -> c.health() == Health.NONE);
        if (anyWithoutRestart) {
            warnings.add(new Warning(service, "", "no restart policy that restarts after a crash (has '"
                    + containers.get(0).restartPolicy() + "'): a crashed process stays down; set restart: unless-stopped"));
        }
        if (anyWithoutHealthcheck) {
            warnings.add(new Warning(service, "", "no healthcheck: Docker cannot tell a hung process from a healthy one,"
                    + " and depends_on cannot wait for it to be ready"));
        }
        if (containers.size() == 1) {
            warnings.add(new Warning(service, "", "a single container: while it restarts, nothing else serves"));
        }
        if (containers.stream().allMatch(c -> c.ports().stream().allMatch(p -> p.hostPort() == 0))) {
            warnings.add(new Warning(service, "", NO_PORT + ": reachable only inside the Compose network"));
        }
        for (ContainerInfo c : containers) {
            if (c.state() == ContainerState.RESTARTING) {
                warnings.add(new Warning(service, c.name(), "restarting (restarted " + c.restartCount() + " times): it keeps crashing"));
            } else if (!c.running()) {
                warnings.add(new Warning(service, c.name(), "not running (" + c.state().name().toLowerCase(java.util.Locale.ROOT)
                        + ", exit code " + c.exitCode() + (c.oomKilled() ? ", killed for lack of memory" : "") + ")"));
            }
            if (c.health() == Health.UNHEALTHY) {
                warnings.add(new Warning(service, c.name(), "unhealthy: its healthcheck fails"));
            }
            if (c.running()) {
                gunicornWorkers(engine, c).ifPresent(n -> {
                    workers.put(c.name(), n);
                    if (n <= 1) {
                        warnings.add(new Warning(service, c.name(), "Gunicorn runs " + n + (n == 1 ? " worker" : " workers")
                                + ": one slow request blocks all others, and a worker crash is an outage"));
                    }
                });
            }
        }
        return new ServiceStatus(service, containers, workers, warnings);
    }

    /** Workers of a Gunicorn in the container; empty when none runs or the container cannot be looked into. */
    static OptionalInt gunicornWorkers(Engine engine, ContainerInfo c) {
        try {
            ExecResult result = engine.exec(c.id(), GunicornWorkers.LIST_PROCESSES, EXEC_TIMEOUT);
            return GunicornWorkers.count(result.stdout());
        } catch (EngineException e) {
            log.debug("could not list processes in {}: {}", c.name(), e.getMessage());
            return OptionalInt.empty();
        }
    }
}
