package dev.faultline.core.probe;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Locale;

/**
 * Why a request failed, in the classes users recognise from their dashboards: the statuses that
 * tell different stories (500: the application failed; 502/504: the proxy could not reach it or
 * waited too long for it; 503: someone said "not now") each have their own class, the other 4xx and
 * 5xx are grouped, and a call with no answer is refused, reset, timed out or another I/O error.
 *
 * <p>{@link #NONE} means it did not fail. {@link #CUT} is not a failure either: the call was still
 * running when the run ended and was cut off, so nobody knows how it would have ended; figures count
 * it apart, never as ok and never as failed.
 */
public enum ErrorClass {
    NONE("ok"),
    HTTP_500("500"),
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
    OTHER("other I/O error"),
    /** The call could not leave on time: every slot was taken by calls still waiting for an answer. */
    NOT_SENT("not sent"),
    /** Cut by the end of the run: neither ok nor failed. */
    CUT("cut by the end of the run");

    private final String label;

    ErrorClass(String label) {
        this.label = label;
    }

    /** How reports name it: "502", "connection refused", ... */
    public String label() {
        return label;
    }

    /** Whether a call of this class failed: anything but {@link #NONE} and {@link #CUT}. */
    public boolean failed() {
        return this != NONE && this != CUT;
    }

    /** Whether the class says the server answered with a status (a call that answered was not cut, whenever it ended). */
    public boolean answered() {
        return this == HTTP_500 || this == HTTP_502 || this == HTTP_503 || this == HTTP_504 || this == HTTP_5XX
                || this == HTTP_4XX || this == UNEXPECTED;
    }

    /** Classifies an HTTP status; 1xx to 3xx are {@link #NONE}. */
    public static ErrorClass ofStatus(int status) {
        if (status == 500) return HTTP_500;
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
