package dev.faultline.core.probe;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Locale;

/**
 * Why a request failed, in the classes users recognise from their dashboards.
 * {@link #NONE} means it did not fail.
 */
public enum ErrorClass {
    NONE("ok"),
    HTTP_502("502"),
    HTTP_503("503"),
    HTTP_504("504"),
    HTTP_5XX("other 5xx"),
    HTTP_4XX("4xx"),
    REFUSED("connection refused"),
    RESET("connection reset"),
    TIMEOUT("timeout"),
    /** The call answered, but a check on its status, body or latency failed. */
    UNEXPECTED("unexpected response"),
    OTHER("other error");

    private final String label;

    ErrorClass(String label) {
        this.label = label;
    }

    /** How reports name it: "502", "connection refused", ... */
    public String label() {
        return label;
    }

    /** Classifies an HTTP status; 1xx to 3xx are {@link #NONE}. */
    public static ErrorClass ofStatus(int status) {
        if (status == 502) return HTTP_502;
        if (status == 503) return HTTP_503;
        if (status == 504) return HTTP_504;
        if (status >= 500) return HTTP_5XX;
        if (status >= 400) return HTTP_4XX;
        return NONE;
    }

    /** Classifies a failed call by its exception, walking the causes. */
    public static ErrorClass ofException(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) return REFUSED;
            if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException) return TIMEOUT;
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("refused")) return REFUSED;
            if (message.contains("timeout") || message.contains("timed out")) return TIMEOUT;
            if (t instanceof SocketException || t instanceof java.io.EOFException) {
                if (message.contains("reset") || message.contains("broken pipe") || message.contains("closed")
                        || t instanceof java.io.EOFException) {
                    return RESET;
                }
            }
            if (message.contains("unexpected end of stream") || message.contains("connection reset")) return RESET;
            if (!(t instanceof IOException) && t.getCause() == null) break;
        }
        return OTHER;
    }
}
