package dev.faultline.core.engine;

/** The engine refused, failed or did not answer in time. The message says what was asked. */
public class EngineException extends RuntimeException {
    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
