package dev.faultline.core.load;

/**
 * Receives every request's record as it completes, on the thread that made the request. Must be fast
 * and thread-safe; an exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface RequestListener {

    void onRequest(RequestRecord record);
}
