package dev.faultline.core.probe;

import dev.faultline.core.time.Durations;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** A TCP connect with a timeout: does anything accept connections at host:port? Immutable. */
public final class TcpProbe implements Probe {

    private final String host;
    private final int port;
    private final Duration timeout;
    private final Clock clock;

    private TcpProbe(String host, int port, Duration timeout, Clock clock) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Connects to {@code host:port} with a 2 s timeout until told otherwise. */
    public static TcpProbe connect(String host, int port) {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) throw new IllegalArgumentException("host must be a host name or address, got '" + host + "'");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be in [1, 65535], got " + port);
        return new TcpProbe(host, port, Duration.ofSeconds(2), Clock.systemUTC());
    }

    public TcpProbe timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE || timeout.toMillis() == 0) {
            throw new IllegalArgumentException("timeout must be at least 1 ms, got " + timeout);
        }
        return new TcpProbe(host, port, timeout, clock);
    }

    public TcpProbe clock(Clock clock) {
        return new TcpProbe(host, port, timeout, Objects.requireNonNull(clock, "clock"));
    }

    @Override
    public String name() {
        return "TCP " + host + ":" + port;
    }

    @Override
    public ProbeResult check() {
        Instant time = clock.instant();
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            return new ProbeResult(name(), time, true, latency, ErrorClass.NONE, "connected in " + Durations.latency(latency));
        } catch (IOException | RuntimeException e) {
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            ErrorClass error = ErrorClass.ofException(e);
            return new ProbeResult(name(), time, false, latency, error, error.label() + " after " + Durations.latency(latency)
                    + (error == ErrorClass.OTHER ? " (" + e + ")" : ""));
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
