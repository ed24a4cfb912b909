package dev.faultline.core.engine;

import java.time.Instant;

/** One line a container wrote, with the engine's timestamp. */
public record LogLine(Instant time, String containerId, boolean stderr, String text) {}
