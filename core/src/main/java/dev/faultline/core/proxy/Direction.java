package dev.faultline.core.proxy;

/** Which way of a proxied connection a toxic acts on. */
public enum Direction {
    /** Client to server: requests. */
    UPSTREAM,
    /** Server to client: responses. */
    DOWNSTREAM,
    /** Both ways. */
    BOTH;

    boolean covers(Direction way) {
        return this == BOTH || this == way;
    }
}
