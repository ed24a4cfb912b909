package dev.faultline.core.status;

import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.EngineException;
import dev.faultline.core.engine.docker.Engines;
import dev.faultline.core.target.ComposeStack;
import dev.faultline.core.target.TargetNotFoundException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What {@code scripts/status.jsh} does, as a method that returns the exit code (JShell scripts
 * must end with {@code /exit <code>}; they cannot throw their way to a non-zero status).
 *
 * <p>Project: {@code FAULTLINE_PROJECT} when set; otherwise the one Compose derives from the
 * folder; since the scripts run from the repository root while the demo lives in {@code demo/},
 * the project {@code demo} when the folder's own project has no containers.
 */
public final class StatusCommand {

    public static final String PROJECT = "FAULTLINE_PROJECT";
    static final String FALLBACK_PROJECT = "demo";

    private StatusCommand() {}

    /** Exit codes: 0 the stack was found and shown, 2 no engine or no stack (the reason is printed). */
    public static int run(Map<String, String> environment, Path folder, PrintStream out, boolean color) {
        return run(Engines::docker, environment, folder, out, color);
    }

    static int run(Supplier<Engine> engines, Map<String, String> environment, Path folder, PrintStream out, boolean color) {
        try {
            Engine engine = engines.get();
            ComposeStack stack;
            String explicit = environment.get(PROJECT);
            if (explicit != null && !explicit.isBlank()) {
                stack = ComposeStack.named(engine, explicit.trim(), PROJECT + " in the environment");
            } else {
                try {
                    stack = ComposeStack.find(engine, folder, environment);
                } catch (TargetNotFoundException notHere) {
                    try {
                        stack = ComposeStack.named(engine, FALLBACK_PROJECT, "the demo stack's default, as nothing runs for this folder");
                    } catch (TargetNotFoundException noDemo) {
                        throw new TargetNotFoundException(notHere.getMessage() + " The demo stack's project '"
                                + FALLBACK_PROJECT + "' was tried too and has no containers (bring it up: demo/up.sh).");
                    }
                    out.println("No Compose project for " + folder.toAbsolutePath().normalize() + "; showing the demo stack, project '"
                            + FALLBACK_PROJECT + "' (set " + PROJECT + " to choose another).");
                    out.println();
                }
            }
            out.print(StatusCheck.of(engine, stack).render(color));
            return 0;
        } catch (TargetNotFoundException | EngineException e) {
            out.println(e.getMessage());
            return 2;
        }
    }
}
