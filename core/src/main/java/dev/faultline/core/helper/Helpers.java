package dev.faultline.core.helper;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.HelperSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs helper containers from the {@link HelperImage}. Every helper is labelled with
 * {@value #RUN_ID}, {@value #ROLE}={@value #ROLE_HELPER}, {@value #TARGET} and {@value #FAULT},
 * so that a later "recover" finds it by run id, and runs under {@code timeout} so that it ends
 * at its deadline even if the JVM that started it is gone.
 */
public final class Helpers {

    public static final String RUN_ID = "faultline.run-id";
    public static final String ROLE = "faultline.role";
    public static final String ROLE_HELPER = "helper";
    public static final String TARGET = "faultline.target";
    public static final String FAULT = "faultline.fault";

    private final Engine engine;
    private final HelperImage image;

    public Helpers(Engine engine, HelperImage image) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.image = Objects.requireNonNull(image, "image");
    }

    /** Helpers from the image named by the system properties (see {@link HelperImage#fromSystemProperties}). */
    /** How long a helper gets, after TERM, to run its cleanup trap before it is removed. */
    private static final java.time.Duration CLEANUP_GRACE = java.time.Duration.ofSeconds(10);

    /**
     * Stops a helper gently, so that its trap undoes its change (a rule, a qdisc, a file), then removes
     * it; returns the line a recovery prints. TERM reaches the helper's {@code timeout} (its PID 1),
     * which passes it on to the script.
     */
    public String stopAndRemove(ContainerInfo helper) {
        if (helper.running()) {
            try {
                engine.kill(helper.id(), "TERM");
                engine.waitForExit(helper.id(), CLEANUP_GRACE);
            } catch (RuntimeException e) {
                // it ended by itself meanwhile
            }
        }
        engine.remove(helper.id(), true);
        String fault = helper.labels().getOrDefault(FAULT, "?");
        String target = helper.labels().get(TARGET);
        return "removed helper " + helper.name() + " (" + fault + (target == null ? "" : " on " + target) + ")";
    }

    public static Helpers on(Engine engine) {
        return new Helpers(engine, HelperImage.fromSystemProperties());
    }

    public Engine engine() {
        return engine;
    }

    public HelperImage image() {
        return image;
    }

    /**
     * Starts a long-running helper. It removes itself when it exits (at its deadline at the
     * latest), so a dead JVM leaves nothing behind once the deadline has passed.
     */
    public Helper start(HelperRequest request) {
        return run(request, true);
    }

    /**
     * Runs a short helper to its end and returns its exit code and output; the helper is removed
     * afterwards whatever happened.
     *
     * @throws HelperException when it did not finish within {@code timeout}
     */
    public Finished runToEnd(HelperRequest request, Duration timeout) {
        Helper helper = run(request, false);
        try {
            int exit = helper.waitForExit(timeout).orElseThrow(() -> new HelperException(
                    "helper " + helper.name() + " (" + String.join(" ", request.command()) + ") still ran after " + timeout));
            return new Finished(helper.name(), exit, helper.output());
        } finally {
            helper.remove();
        }
    }

    /** Helpers of a run still known to the engine, running or not. */
    public List<ContainerInfo> of(String runId) {
        return engine.containers(Map.of(RUN_ID, runId, ROLE, ROLE_HELPER), true);
    }

    private Helper run(HelperRequest request, boolean autoRemove) {
        String tag = image.ensure(engine);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(RUN_ID, request.runId());
        labels.put(ROLE, ROLE_HELPER);
        labels.put(FAULT, request.fault());
        if (request.target() != null) {
            labels.put(TARGET, request.target().name());
        }
        String name = name(request);
        HelperSpec spec = new HelperSpec(tag, request.boundedCommand(), labels, name, request.pidMode(),
                request.networkMode(), request.capAdd(), false, request.cgroupParent(), List.of(), autoRemove);
        String id = engine.run(spec);
        return new Helper(engine, id, name, request);
    }

    /** {@code faultline-<run>-<fault>-<target>-<4 hex>}: readable in {@code docker ps}, unique. */
    static String name(HelperRequest request) {
        String target = request.target() == null ? "none" : request.target().name();
        String raw = "faultline-" + request.runId() + "-" + request.fault() + "-" + target;
        String clean = raw.replaceAll("[^a-zA-Z0-9_.-]", "-");
        if (clean.length() > 100) {
            clean = clean.substring(0, 100);
        }
        return clean + "-" + Integer.toHexString(0x10000 | ThreadLocalRandom.current().nextInt(0x10000)).substring(1);
    }

    /** A helper that ran to its end. */
    public record Finished(String name, int exitCode, String output) {}
}
