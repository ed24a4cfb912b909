package dev.faultline.core.safety;

/**
 * What a run may touch beyond the safe defaults. The defaults refuse a Docker endpoint that is not
 * on this machine (it may be production) and any container labelled {@value #PROTECT_LABEL}{@code =true};
 * an experiment that means it says so with {@link #allowRemoteEngine()} / {@link #allowProtected()}.
 * (The third guard, how many containers one fault may touch, is the fault's own
 * {@link dev.faultline.core.fault.Targeting#DEFAULT_LIMIT}.)
 */
public record SafetyPolicy(boolean remoteEngineAllowed, boolean protectedAllowed) {

    /** Label that keeps faultline's hands off a container unless the experiment allows it. */
    public static final String PROTECT_LABEL = "faultline.protect";

    public static SafetyPolicy defaults() {
        return new SafetyPolicy(false, false);
    }

    public SafetyPolicy allowRemoteEngine() {
        return new SafetyPolicy(true, protectedAllowed);
    }

    public SafetyPolicy allowProtected() {
        return new SafetyPolicy(remoteEngineAllowed, true);
    }
}
