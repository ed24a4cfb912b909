package dev.faultline.core.proxy;

import java.time.Duration;
import java.util.Objects;

/**
 * A misbehaviour the proxy applies to the traffic of one direction. Values, validated when made;
 * add them to a running proxy with {@link ToxicProxy#addToxic(String, Direction, Toxic)}.
 */
public sealed interface Toxic {

    /** Each chunk is delayed by {@code latency} ± a uniform {@code jitter}; order is kept. */
    static Latency latency(Duration latency) {
        return new Latency(latency, Duration.ZERO);
    }

    static Latency latency(Duration latency, Duration jitter) {
        return new Latency(latency, jitter);
    }

    /** At most {@code bytesPerSecond} bytes per second go through. */
    static Bandwidth bandwidth(long bytesPerSecond) {
        return new Bandwidth(bytesPerSecond);
    }

    /** Connections are closed with a TCP RST (SO_LINGER 0) {@code after} they exist and the toxic does. */
    static ResetPeer resetPeer(Duration after) {
        return new ResetPeer(after);
    }

    /** Nothing is forwarded; connections are held open, then closed after {@code closeAfter} (ZERO: never). */
    static Timeout timeout(Duration closeAfter) {
        return new Timeout(closeAfter);
    }

    /** A side's close (FIN) reaches the other side {@code delay} late. */
    static SlowClose slowClose(Duration delay) {
        return new SlowClose(delay);
    }

    record Latency(Duration latency, Duration jitter) implements Toxic {
        public Latency {
            requireNonNegative("latency", latency);
            requireNonNegative("jitter", jitter);
            if (jitter.compareTo(latency) > 0) {
                throw new IllegalArgumentException("jitter must be at most latency (" + latency
                        + ") so no chunk gets a negative delay, was " + jitter);
            }
        }
    }

    record Bandwidth(long bytesPerSecond) implements Toxic {
        public Bandwidth {
            if (bytesPerSecond <= 0) {
                throw new IllegalArgumentException("bytesPerSecond must be > 0, was " + bytesPerSecond);
            }
        }
    }

    record ResetPeer(Duration after) implements Toxic {
        public ResetPeer {
            requireNonNegative("after", after);
        }
    }

    record Timeout(Duration closeAfter) implements Toxic {
        public Timeout {
            requireNonNegative("closeAfter", closeAfter);
        }

        /** Whether connections are closed at all, or held until the toxic is removed. */
        public boolean closes() {
            return !closeAfter.isZero();
        }
    }

    record SlowClose(Duration delay) implements Toxic {
        public SlowClose {
            requireNonNegative("delay", delay);
        }
    }

    private static void requireNonNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value);
        }
    }
}
