package dev.faultline.core.engine;

/** Outcome of a command run in a container. */
public record ExecResult(int exitCode, String stdout, String stderr) {
    public boolean ok() {
        return exitCode == 0;
    }
}
