package dev.faultline.core.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One container as faultline sees it. Compose fields are empty strings for containers
 * Compose did not create.
 *
 * @param hostPid      PID of the container's main process in the host's PID namespace; 0 when not running
 * @param ipAddresses  network name to IP address
 * @param cpuQuota     CFS quota in microseconds, 0 when unlimited
 */
public record ContainerInfo(
        String id,
        String name,
        String project,
        String service,
        int number,
        String image,
        ContainerState state,
        Health health,
        int exitCode,
        boolean oomKilled,
        RestartPolicy restartPolicy,
        int restartCount,
        List<PublishedPort> ports,
        int hostPid,
        Instant startedAt,
        Instant finishedAt,
        Map<String, String> labels,
        Map<String, String> ipAddresses,
        long cpuQuota,
        long cpuPeriod) {

    public String shortId() {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    public boolean running() {
        return state == ContainerState.RUNNING;
    }
}
