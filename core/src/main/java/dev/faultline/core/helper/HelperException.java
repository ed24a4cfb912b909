package dev.faultline.core.helper;

/** A helper container did not do what it was started for (or not in time); the message says which and why. */
public class HelperException extends RuntimeException {
    public HelperException(String message) {
        super(message);
    }

    public HelperException(String message, Throwable cause) {
        super(message, cause);
    }
}
