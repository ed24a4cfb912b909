package dev.faultline.core.cli;

import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.EngineException;
import dev.faultline.core.engine.docker.Engines;
import dev.faultline.core.status.StatusCheck;
import dev.faultline.core.target.ComposeStack;
import dev.faultline.core.target.TargetNotFoundException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What {@code scripts/status.jsh} does, as a method that returns the exit code (JShell scripts
 * must end with {@code /exit <code>}; they cannot throw their way to a non-zero status).
 *
 * <p>Project: {@code FAULTLINE_PROJECT} when set; otherwise the one Compose derives from the
 * folder; else {@code fallbackProject} when given (the scripts run from the repository root while
 * the demo lives in {@code demo/}, so {@code status.jsh} passes the demo's project).
 */
public final class StatusCommand {

    private StatusCommand() {}

    /**
     * Exit codes: 0 the stack was found and shown, 2 bad parameters, no engine or no stack (the reason is printed).
     *
     * @param fallbackProject the project to show when neither FAULTLINE_PROJECT nor the folder names one; may be null
     */
    public static int run(Map<String, String> environment, Path folder, String fallbackProject, PrintStream out, boolean color) {
        return run(Engines::docker, environment, folder, Optional.ofNullable(fallbackProject), out, color);
    }

    static int run(Supplier<Engine> engines, Map<String, String> environment, Path folder, Optional<String> fallbackProject,
            PrintStream out, boolean color) {
        Settings settings;
        try {
            settings = Settings.from(environment);
        } catch (IllegalArgumentException e) {
            out.println("Bad parameter: " + e.getMessage());
            return 2;
        }
        try {
            Engine engine = engines.get();
            ComposeStack stack;
            if (settings.project().isPresent()) {
                stack = ComposeStack.named(engine, settings.project().get(), Settings.PROJECT + " in the environment");
            } else {
                try {
                    stack = ComposeStack.find(engine, folder, environment);
                } catch (TargetNotFoundException notHere) {
                    if (fallbackProject.isEmpty()) {
                        throw notHere;
                    }
                    String fallback = fallbackProject.get();
                    try {
                        stack = ComposeStack.named(engine, fallback, "the fallback project, as nothing runs for this folder");
                    } catch (TargetNotFoundException noFallback) {
                        throw new TargetNotFoundException(notHere.getMessage() + " The fallback project '"
                                + fallback + "' was tried too and has no containers.");
                    }
                    out.println("No Compose project for " + folder.toAbsolutePath().normalize() + "; showing project '"
                            + fallback + "' (set " + Settings.PROJECT + " to choose another).");
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
