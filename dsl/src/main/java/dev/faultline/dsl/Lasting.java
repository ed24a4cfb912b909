package dev.faultline.dsl;

import java.time.Duration;

/** How long a fault stays in effect before it is reverted: {@code lasting(ofSeconds(20))}. */
public record Lasting(Duration duration) {
    public Lasting {
        Args.positive("duration", duration, Duration.ofHours(1));
    }
}
