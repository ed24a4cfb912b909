package dev.faultline.dsl;

import dev.faultline.core.engine.EngineException;
import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.target.TargetNotFoundException;

/**
 * Process exit codes for scripts and CI: 0 every expectation held; 1 an expectation failed;
 * 2 bad parameters, no engine, no stack, or a fault that could not be injected or reverted;
 * 3 refused (the steady state did not hold before injection); 4 aborted; 5 inconclusive (a fault
 * measurably reached nothing, so the run cannot say the stack held).
 */
public final class ExitCode {

    public static final int HELD = 0;
    public static final int FAILED = 1;
    public static final int UNUSABLE = 2;
    public static final int REFUSED = 3;
    public static final int ABORTED = 4;
    public static final int INCONCLUSIVE = 5;

    private ExitCode() {}

    public static int of(ExperimentResult result) {
        Args.notNull("result", result);
        return switch (result.outcome()) {
            case HELD -> HELD;
            case FAILED -> FAILED;
            case REFUSED -> REFUSED;
            case ABORTED -> ABORTED;
            case INCONCLUSIVE -> INCONCLUSIVE;
            case ERROR -> UNUSABLE;
        };
    }

    /** What a script prints and exits with when it could not run the experiment at all. */
    public static int of(Throwable error) {
        Args.notNull("error", error);
        String kind = error instanceof IllegalArgumentException ? "bad parameter"
                : error instanceof TargetNotFoundException ? "no such stack or service"
                : error instanceof EngineException ? "no container engine"
                : "could not run";
        System.err.println("faultline: " + kind + ": " + error.getMessage());
        return UNUSABLE;
    }
}
