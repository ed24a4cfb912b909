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

    /**
     * What the fault measurably did so far, read from the kernel or the engine; after {@link #close()},
     * what it did up to the moment it was reverted (counters that go with the fault, such as a netfilter
     * rule's, are read before it goes). Never throws: a measurement that fails is {@link Effect#notMeasured}.
     * The runner asks once, right after the revert. A fault that does not measure says so.
     */
    default Effect effect() {
        return Effect.notMeasured(getClass().getSimpleName() + " does not measure its effect");
    }

    @Override
    void close();
}
