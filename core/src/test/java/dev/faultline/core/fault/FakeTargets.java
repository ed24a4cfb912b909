package dev.faultline.core.fault;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.target.TargetNotFoundException;
import dev.faultline.core.target.Targets;
import java.util.List;
import java.util.Map;

/** Targets found by the Compose labels of one project, through any Engine (the fake one, or the real one in ITs). */
record FakeTargets(Engine engine, String project) implements Targets {

    @Override
    public List<String> services() {
        return engine.containers(Map.of("com.docker.compose.project", project), true).stream()
                .map(ContainerInfo::service).distinct().sorted().toList();
    }

    @Override
    public List<ContainerInfo> containers(String service) {
        List<ContainerInfo> found = engine.containers(Map.of("com.docker.compose.project", project,
                "com.docker.compose.service", service), true);
        if (found.isEmpty()) {
            throw new TargetNotFoundException("no service '" + service + "' in project " + project + "; services: " + services());
        }
        return found;
    }
}
