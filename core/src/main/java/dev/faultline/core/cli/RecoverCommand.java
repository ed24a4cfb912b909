package dev.faultline.core.cli;

import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.EngineException;
import dev.faultline.core.engine.docker.Engines;
import dev.faultline.core.safety.Recover;
import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * What {@code jshell scripts/recover.jsh} does, returning its exit code: 0 nothing left (or all of it
 * undone), 1 something could not be undone (the line says why), 2 no engine answered.
 */
public final class RecoverCommand {

    private RecoverCommand() {}

    public static int run(PrintStream out) {
        return run(Engines::docker, out);
    }

    static int run(Supplier<Engine> engines, PrintStream out) {
        Engine engine;
        try {
            engine = engines.get();
            engine.ping();
        } catch (EngineException e) {
            out.println("no engine: " + e.getMessage());
            return 2;
        }
        Recover.Report report = Recover.everything(engine);
        report.lines().forEach(out::println);
        return report.exitCode();
    }
}
