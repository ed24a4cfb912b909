package dev.faultline.core.observe;

/** A container lifecycle event seen during a run, e.g. service "db", action "die" / "start" / "health_status: healthy". */
public record ContainerEvent(long atNanos, String service, String action) {}
