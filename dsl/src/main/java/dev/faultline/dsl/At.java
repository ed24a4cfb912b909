package dev.faultline.dsl;

import java.time.Duration;

/** When a fault starts, counted from the start of observation: {@code at(ofSeconds(5))}. */
public record At(Duration offset) {
    public At {
        Args.notNegative("offset", offset, Duration.ofHours(1));
    }
}
