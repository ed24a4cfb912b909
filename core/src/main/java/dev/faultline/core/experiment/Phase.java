package dev.faultline.core.experiment;

import java.time.Instant;

/** When one phase of the run started and ended. */
public record Phase(String name, Instant start, Instant end) {}
