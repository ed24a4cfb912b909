package dev.faultline.core.experiment;

import dev.faultline.core.probe.ProbeResult;
import java.util.function.Consumer;

/**
 * Load that runs during an experiment. The runner starts it after the steady-state check and
 * stops it when observation ends; every request's outcome goes to the sink (from any thread),
 * so error rates and percentiles can use real traffic rather than only the steady-state probe.
 */
public interface Workload {

    /** "50 requests/s: GET /, POST /api/orders/ (writes tracked)". */
    String describe();

    /** True when acknowledged writes are recorded and can be read back after recovery. */
    boolean tracksWrites();

    Running start(Consumer<ProbeResult> sink);

    /** A started load; {@link #close()} stops sending and waits briefly for calls in flight. */
    interface Running extends AutoCloseable {

        /** Reads back every acknowledged write; only called when {@link Workload#tracksWrites()}. */
        WriteCheck verifyWrites();

        @Override
        void close();
    }

    /**
     * Acknowledged writes read back after recovery.
     *
     * @param uncertain writes that got a 502/504/timeout: neither acknowledged nor refused
     */
    record WriteCheck(int acknowledged, int lost, int uncertain, java.util.List<String> lostIds) {
        public WriteCheck {
            lostIds = java.util.List.copyOf(lostIds);
        }
    }
}
