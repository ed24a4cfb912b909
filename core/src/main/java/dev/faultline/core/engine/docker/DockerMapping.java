package dev.faultline.core.engine.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ContainerState;
import dev.faultline.core.engine.Health;
import dev.faultline.core.engine.PublishedPort;
import dev.faultline.core.engine.RestartPolicy;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** docker-java's answers mapped to faultline's own engine types; nulls and "never" become defaults here. */
final class DockerMapping {

    private DockerMapping() {}

    static ContainerInfo toInfo(InspectContainerResponse c) {
        Map<String, String> labels = c.getConfig() == null || c.getConfig().getLabels() == null
                ? Map.of() : Map.copyOf(c.getConfig().getLabels());
        var state = c.getState();
        ContainerState containerState = state == null ? ContainerState.UNKNOWN : stateOf(state.getStatus());
        Health health = Health.NONE;
        if (state != null && state.getHealth() != null && state.getHealth().getStatus() != null) {
            health = switch (state.getHealth().getStatus()) {
                case "healthy" -> Health.HEALTHY;
                case "unhealthy" -> Health.UNHEALTHY;
                case "starting" -> Health.STARTING;
                default -> Health.NONE;
            };
        }
        RestartPolicy policy = RestartPolicy.NONE;
        long cpuQuota = 0;
        long cpuPeriod = 0;
        HostConfig hostConfig = c.getHostConfig();
        if (hostConfig != null) {
            var rp = hostConfig.getRestartPolicy();
            if (rp != null && rp.getName() != null && !rp.getName().isEmpty()) {
                policy = new RestartPolicy(rp.getName(), rp.getMaximumRetryCount() == null ? 0 : rp.getMaximumRetryCount());
            }
            cpuQuota = hostConfig.getCpuQuota() == null ? 0 : Math.max(0, hostConfig.getCpuQuota());
            cpuPeriod = hostConfig.getCpuPeriod() == null ? 0 : hostConfig.getCpuPeriod();
        }
        List<PublishedPort> ports = new ArrayList<>();
        Map<String, String> ips = new LinkedHashMap<>();
        var network = c.getNetworkSettings();
        if (network != null) {
            Ports p = network.getPorts();
            if (p != null && p.getBindings() != null) {
                for (Map.Entry<ExposedPort, Ports.Binding[]> e : p.getBindings().entrySet()) {
                    ExposedPort exposed = e.getKey();
                    String protocol = exposed.getProtocol() == null ? "tcp" : exposed.getProtocol().toString();
                    if (e.getValue() == null || e.getValue().length == 0) {
                        ports.add(new PublishedPort(exposed.getPort(), protocol, "", 0));
                    } else {
                        for (Ports.Binding b : e.getValue()) {
                            int hostPort = parseInt(b.getHostPortSpec());
                            ports.add(new PublishedPort(exposed.getPort(), protocol, b.getHostIp() == null ? "" : b.getHostIp(), hostPort));
                        }
                    }
                }
            }
            if (network.getNetworks() != null) {
                network.getNetworks().forEach((name, n) -> {
                    if (n.getIpAddress() != null && !n.getIpAddress().isEmpty()) ips.put(name, n.getIpAddress());
                });
            }
        }
        ports.sort(Comparator.comparingInt(PublishedPort::containerPort).thenComparing(PublishedPort::protocol)
                .thenComparing(PublishedPort::hostIp));
        String name = c.getName() == null ? "" : c.getName().replaceFirst("^/", "");
        Long pid = state == null ? null : state.getPidLong();
        Long exit = state == null ? null : state.getExitCodeLong();
        Integer restarts = c.getRestartCount();
        return new ContainerInfo(
                c.getId(),
                name,
                labels.getOrDefault("com.docker.compose.project", ""),
                labels.getOrDefault("com.docker.compose.service", ""),
                parseInt(labels.get("com.docker.compose.container-number")),
                c.getConfig() == null || c.getConfig().getImage() == null ? "" : c.getConfig().getImage(),
                containerState,
                health,
                exit == null ? 0 : exit.intValue(),
                state != null && Boolean.TRUE.equals(state.getOOMKilled()),
                policy,
                restarts == null ? 0 : restarts,
                List.copyOf(ports),
                pid == null ? 0 : pid.intValue(),
                state == null ? null : parseInstant(state.getStartedAt()),
                state == null ? null : parseInstant(state.getFinishedAt()),
                labels,
                Map.copyOf(ips),
                cpuQuota,
                cpuPeriod);
    }

    static ContainerState stateOf(String status) {
        if (status == null) return ContainerState.UNKNOWN;
        return switch (status) {
            case "created" -> ContainerState.CREATED;
            case "running" -> ContainerState.RUNNING;
            case "paused" -> ContainerState.PAUSED;
            case "restarting" -> ContainerState.RESTARTING;
            case "removing" -> ContainerState.REMOVING;
            case "exited" -> ContainerState.EXITED;
            case "dead" -> ContainerState.DEAD;
            default -> ContainerState.UNKNOWN;
        };
    }

    /** Docker writes "0001-01-01T00:00:00Z" for "never"; that is null here. */
    static Instant parseInstant(String s) {
        if (s == null || s.isEmpty() || s.startsWith("0001-01-01")) return null;
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static int parseInt(String s) {
        if (s == null || s.isEmpty()) return 0;
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
