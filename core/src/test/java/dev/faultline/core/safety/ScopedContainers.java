package dev.faultline.core.safety;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The containers one safety IT starts, named {@code <label>-<id>-<name>} and labelled {@code <label>=<id>},
 * so that the test removes exactly its own on the engine other tests share.
 */
final class ScopedContainers {

    final String id = UUID.randomUUID().toString().substring(0, 8);
    private final String label;

    ScopedContainers(String label) {
        this.label = label;
    }

    /** The label filter that selects this test's containers. */
    Map<String, String> scope() {
        return Map.of(label, id);
    }

    /** The full name of the container started as {@code name}. */
    String name(String name) {
        return label + "-" + id + "-" + name;
    }

    /** {@code docker run -d} with this test's name and label, then {@code optionsImageAndCommand}; the new id. */
    String run(String name, String... optionsImageAndCommand) {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name(name), "--label", label + "=" + id));
        args.addAll(List.of(optionsImageAndCommand));
        return KillMatrixIT.docker(args.toArray(String[]::new)).strip();
    }

    /** Removes this test's containers, and those carrying any of {@code moreLabels}. */
    @SafeVarargs
    final void removeAll(Engine engine, Map<String, String>... moreLabels) {
        List<Map<String, String>> filters = new ArrayList<>(List.of(scope()));
        filters.addAll(List.of(moreLabels));
        for (Map<String, String> labels : filters) {
            for (ContainerInfo c : engine.containers(labels, true)) {
                engine.remove(c.id(), true);
            }
        }
    }
}
