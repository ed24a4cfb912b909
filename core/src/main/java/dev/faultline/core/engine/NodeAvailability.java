package dev.faultline.core.engine;

import java.util.Locale;

/** A swarm node's availability: {@code active} takes tasks, {@code pause} keeps its tasks, {@code drain} moves them away. */
public enum NodeAvailability {
    ACTIVE, PAUSE, DRAIN;

    /** As the Engine API spells it: "active". */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static NodeAvailability ofKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }
}
