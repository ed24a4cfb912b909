package dev.faultline.core.safety;

import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.HelperSpec;
import dev.faultline.core.engine.LogLine;
import dev.faultline.core.helper.HelperImage;
import dev.faultline.core.helper.Helpers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * A short helper in the host's PID namespace, privileged, so that one container can enter the network
 * namespace of any number of targets ({@code nsenter -t <host pid> -n}) instead of one helper per target.
 */
final class PrivilegedHelper {

    private PrivilegedHelper() {}

    record Result(int exitCode, String output) {}

    static Result run(Engine engine, String runId, String fault, Duration deadline, List<String> command) {
        String image = HelperImage.fromSystemProperties().ensure(engine);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Helpers.RUN_ID, runId);
        labels.put(Helpers.ROLE, Helpers.ROLE_HELPER);
        labels.put(Helpers.FAULT, fault);
        long seconds = Math.max(1, deadline.toSeconds());
        List<String> bounded = new ArrayList<>(List.of("timeout", "-k", "5", seconds + "s"));
        bounded.addAll(command);
        String name = ("faultline-" + runId + "-" + fault).replaceAll("[^a-zA-Z0-9_.-]", "-") + "-"
                + Integer.toHexString(0x10000 | ThreadLocalRandom.current().nextInt(0x10000)).substring(1);
        String id = engine.run(new HelperSpec(image, bounded, labels, name, "host", null, List.of(), true, null, List.of(), false));
        try {
            int exit = engine.waitForExit(id, deadline.plusSeconds(10)).orElse(-1);
            List<LogLine> lines = engine.logs(id, Instant.EPOCH, Instant.now().plusSeconds(1));
            return new Result(exit, lines.stream().map(LogLine::text).map(String::strip).collect(Collectors.joining("\n")));
        } finally {
            engine.remove(id, true);
        }
    }
}
