package dev.faultline.core.engine;

import java.time.Instant;
import java.util.Map;

/** A container event (die, start, restart, health_status: healthy, oom, ...). */
public record EngineEvent(Instant time, String containerId, String service, String action, Map<String, String> attributes) {}
