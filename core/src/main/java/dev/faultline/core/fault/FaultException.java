package dev.faultline.core.fault;

/** A fault could not be injected or reverted; the message says which, on what, and why. */
public class FaultException extends RuntimeException {
    public FaultException(String message) {
        super(message);
    }

    public FaultException(String message, Throwable cause) {
        super(message, cause);
    }
}
