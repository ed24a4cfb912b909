package dev.faultline.core.engine;

/**
 * No container engine answered at the endpoint that was tried. The message names the endpoint,
 * the error, and how to get an engine running.
 */
public class NoEngineException extends EngineException {
    public NoEngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
