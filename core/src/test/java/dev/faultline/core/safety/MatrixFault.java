package dev.faultline.core.safety;

import dev.faultline.core.fault.Signal;
import dev.faultline.core.fault.CpuQuotaFault;
import dev.faultline.core.fault.CpuStressFault;
import dev.faultline.core.fault.CrashFault;
import dev.faultline.core.fault.Fault;
import dev.faultline.core.fault.MemoryStressFault;
import dev.faultline.core.fault.NetworkLatencyFault;
import dev.faultline.core.fault.PauseFault;
import dev.faultline.core.fault.RestartFault;
import dev.faultline.core.fault.SignalFault;
import dev.faultline.core.fault.StopFault;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The fault kinds of the kill matrix, each against service {@code web} of a small target (see
 * {@link KillMatrixIT}), configured to last long enough that only a revert, the reaper or recover
 * can end them within the test (a minute), never their own deadline.
 */
enum MatrixFault {
    CRASH(true, false, () -> CrashFault.of("web")),
    SIGNAL(true, false, () -> SignalFault.of("web", Signal.TERM, "^sleep")),
    STOP(false, false, () -> StopFault.of("web").timeout(Duration.ofSeconds(1))),
    RESTART(true, false, () -> RestartFault.of("web").timeout(Duration.ofSeconds(1))),
    PAUSE(false, false, () -> PauseFault.of("web")),
    CPU_STRESS(false, true, () -> CpuStressFault.of("web", 1, Duration.ofSeconds(60)).load(20)),
    CPU_QUOTA(false, false, () -> CpuQuotaFault.of("web", 0.2)),
    /** The target has no memory limit: a temporary one ({@link #TEMPORARY_MEMORY_LIMIT}) is set through the API meanwhile. */
    MEMORY_STRESS(false, true, () -> MemoryStressFault.of("web", 16L << 20, Duration.ofSeconds(60))
            .withTemporaryLimit(MatrixFault.TEMPORARY_MEMORY_LIMIT)),
    LATENCY(false, true, () -> NetworkLatencyFault.of("web", "dest", KillMatrixIT.PORT, Duration.ofMillis(100))
            .lasting(Duration.ofSeconds(60))),
    /** On the demo stack: freeze PostgreSQL. */
    DEMO_PAUSE_DB(false, false, () -> PauseFault.of("db")),
    /** On the demo stack: +300 ms on web -> db, connections reset so Django reconnects through it. */
    DEMO_LATENCY_DB(false, true, () -> NetworkLatencyFault.of("web", "db", 5432, Duration.ofMillis(300))
            .lasting(Duration.ofSeconds(120)).resetExistingConnections());

    static final long TEMPORARY_MEMORY_LIMIT = 64L << 20;

    /** Nothing stays in effect after inject: nothing to undo, nothing to restart under. */
    final boolean oneShot;
    /** A helper container lives while the fault is in effect (and can be killed). */
    final boolean liveHelper;
    private final Supplier<Fault> fault;

    MatrixFault(boolean oneShot, boolean liveHelper, Supplier<Fault> fault) {
        this.oneShot = oneShot;
        this.liveHelper = liveHelper;
        this.fault = fault;
    }

    Fault fault() {
        return fault.get();
    }
}
