package dev.faultline.core.fault;

import java.time.Instant;
import java.util.List;

/**
 * A fault in effect. {@link #close()} reverts it: idempotent, safe to call from a shutdown hook,
 * and it never throws for something already undone (a one-shot fault such as a crash has
 * nothing to undo).
 */
public interface Injection extends AutoCloseable {

    /** How it was made, e.g. "SIGKILL to host PID 4242 from a helper in the host PID namespace". */
    String mechanism();

    /** Container names the fault touched. */
    List<String> targets();

    Instant injectedAt();

    @Override
    void close();
}
