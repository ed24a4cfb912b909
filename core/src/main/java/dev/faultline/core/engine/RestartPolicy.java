package dev.faultline.core.engine;

/** A restart policy: {@code no}, {@code always}, {@code unless-stopped}, {@code on-failure[:max]}. */
public record RestartPolicy(String name, int maximumRetries) {
    public static final RestartPolicy NONE = new RestartPolicy("no", 0);

    /** True when Docker restarts the container after a crash (an exit it did not cause). */
    public boolean restartsAfterCrash() {
        return switch (name) {
            case "always", "unless-stopped", "on-failure" -> true;
            default -> false;
        };
    }

    @Override
    public String toString() {
        return "on-failure".equals(name) && maximumRetries > 0 ? name + ":" + maximumRetries : name;
    }
}
