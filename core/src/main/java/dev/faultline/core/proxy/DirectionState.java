package dev.faultline.core.proxy;

import java.util.Collection;

/**
 * The toxics of one direction folded into the numbers the pumps need, rebuilt on every change so a pump
 * reads one immutable value per chunk instead of walking the toxic list.
 *
 * @param latencyNanos   summed latency of all latency toxics
 * @param jitterNanos    summed jitter
 * @param bytesPerSecond the tightest bandwidth limit, 0 for none
 * @param hold           a timeout toxic is present: forward nothing
 * @param slowCloseNanos delay before a close is passed on
 */
record DirectionState(long latencyNanos, long jitterNanos, long bytesPerSecond, boolean hold, long slowCloseNanos) {

    static final DirectionState CLEAN = new DirectionState(0, 0, 0, false, 0);

    static DirectionState of(Collection<ActiveToxic> toxics, Direction way) {
        long latency = 0, jitter = 0, bandwidth = 0, slowClose = 0;
        boolean hold = false;
        for (ActiveToxic active : toxics) {
            if (!active.direction().covers(way)) continue;
            Toxic toxic = active.toxic();
            if (toxic instanceof Toxic.Latency l) {
                latency += l.latency().toNanos();
                jitter += l.jitter().toNanos();
            } else if (toxic instanceof Toxic.Bandwidth b) {
                bandwidth = bandwidth == 0 ? b.bytesPerSecond() : Math.min(bandwidth, b.bytesPerSecond());
            } else if (toxic instanceof Toxic.Timeout) {
                hold = true;
            } else if (toxic instanceof Toxic.SlowClose s) {
                slowClose = Math.max(slowClose, s.delay().toNanos());
            }
        }
        return new DirectionState(latency, jitter, bandwidth, hold, slowClose);
    }
}
