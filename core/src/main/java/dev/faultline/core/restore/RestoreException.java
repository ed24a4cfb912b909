package dev.faultline.core.restore;

/** The stack did not come back: what was done, and what still is not as it should be. */
public final class RestoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RestoreException(String message) {
        super(message);
    }
}
