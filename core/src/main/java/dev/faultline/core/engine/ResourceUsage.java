package dev.faultline.core.engine;

import java.time.Instant;

/** CPU (percent of one core, so 200 = two cores busy) and memory of one container at one time. */
public record ResourceUsage(Instant time, String containerId, double cpuPercent, long memoryBytes, long memoryLimitBytes) {}
