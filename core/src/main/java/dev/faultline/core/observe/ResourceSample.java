package dev.faultline.core.observe;

/** CPU and memory of one service's container at one moment; cpuPercent is of one core (200 = two cores busy). */
public record ResourceSample(long atNanos, String service, double cpuPercent, long memoryBytes) {}
