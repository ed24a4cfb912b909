package dev.faultline.core.target;

/** Nothing matched what was looked for; the message says what was looked for and how to fix it. */
public class TargetNotFoundException extends RuntimeException {
    public TargetNotFoundException(String message) {
        super(message);
    }
}
