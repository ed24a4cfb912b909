package dev.faultline.core.target;

import dev.faultline.core.engine.ContainerInfo;
import java.util.List;

/**
 * The stack under test: its services and their containers, freshly looked up on each call
 * (a restarted container keeps its id, a recreated one does not). Compose is the first
 * implementation; a Swarm one can follow behind the same interface.
 */
public interface Targets {

    /** The Compose project name (or the equivalent grouping). */
    String project();

    /** Service names, sorted. */
    List<String> services();

    /**
     * Containers of one service, running or not.
     *
     * @throws TargetNotFoundException naming the service, the project and the services that exist
     */
    List<ContainerInfo> containers(String service);

    /** The labels that select the stack's containers on an engine (for its event stream). */
    default java.util.Map<String, String> labels() {
        return java.util.Map.of("com.docker.compose.project", project());
    }
}
