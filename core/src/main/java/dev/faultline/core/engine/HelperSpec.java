package dev.faultline.core.engine;

import java.util.List;
import java.util.Map;

/**
 * A helper container that runs next to a target: shares its network namespace
 * ({@code networkMode = "container:<id>"}) or the host's PID namespace ({@code pidMode = "host"}),
 * with the capabilities it needs. Helpers always carry a {@code faultline.run-id} label so that
 * leftovers can be found and removed even after the JVM that made them died.
 *
 * @param cgroupParent cgroup parent, to charge the helper's work to a target's cgroup; null for default
 */
public record HelperSpec(
        String image,
        List<String> command,
        Map<String, String> labels,
        String name,
        String pidMode,
        String networkMode,
        List<String> capAdd,
        boolean privileged,
        String cgroupParent,
        List<String> binds,
        boolean autoRemove) {

    public HelperSpec {
        command = List.copyOf(command);
        labels = Map.copyOf(labels);
        capAdd = List.copyOf(capAdd);
        binds = List.copyOf(binds);
        if (!labels.containsKey("faultline.run-id")) {
            throw new IllegalArgumentException("helper labels must contain faultline.run-id, got " + labels);
        }
    }
}
