package dev.faultline.core.status;

import dev.faultline.core.engine.ContainerInfo;
import java.util.List;
import java.util.Map;

/**
 * One service: its containers and what should be fixed before breaking it on purpose.
 *
 * @param gunicornWorkers container name to the number of Gunicorn workers seen running in it
 *                        (only containers that run Gunicorn)
 */
public record ServiceStatus(String service, List<ContainerInfo> containers, Map<String, Integer> gunicornWorkers, List<Warning> warnings) {
    public ServiceStatus {
        containers = List.copyOf(containers);
        gunicornWorkers = Map.copyOf(gunicornWorkers);
        warnings = List.copyOf(warnings);
    }

    public long running() {
        return containers.stream().filter(ContainerInfo::running).count();
    }
}
