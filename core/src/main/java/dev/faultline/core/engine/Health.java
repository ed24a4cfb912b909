package dev.faultline.core.engine;

/** Healthcheck status; {@link #NONE} when the container has no healthcheck. */
public enum Health {
    NONE, STARTING, HEALTHY, UNHEALTHY
}
