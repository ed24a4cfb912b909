package dev.faultline.core.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link ToxicProxy} listens on and forwards to. Built once with {@link #custom()}, each value
 * checked as it is set.
 *
 * @param name           for thread names and logs
 * @param listenAddress  address to bind (e.g. the Docker bridge gateway, or 127.0.0.1)
 * @param listenPort     port to bind; 0 picks a free one ({@link ToxicProxy#port()} tells which)
 * @param upstreamHost   where connections are forwarded
 * @param upstreamPort   port there
 * @param connectTimeout how long to wait for the upstream connect before resetting the client
 * @param bufferSize     bytes read per chunk; large, so a bulk stream costs few system calls
 * @param buffersPerDirection chunks that may be in flight per direction: under latency, a direction carries at most
 *                       this many reads per latency period (64 x 64 KiB per 50 ms is 80 MB/s); buffers are made only
 *                       when needed, so idle or request/response connections hold one or two
 */
public record ProxyConfig(String name, InetAddress listenAddress, int listenPort, String upstreamHost,
                          int upstreamPort, Duration connectTimeout, int bufferSize, int buffersPerDirection) {

    public static final int DEFAULT_BUFFER_SIZE = 64 * 1024;
    public static final int DEFAULT_BUFFERS_PER_DIRECTION = 64;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    public ProxyConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(listenAddress, "listenAddress");
        Objects.requireNonNull(upstreamHost, "upstreamHost");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (name.isBlank()) throw new IllegalArgumentException("name must not be blank");
        checkPort("listenPort", listenPort, 0);
        if (upstreamHost.isBlank()) throw new IllegalArgumentException("upstreamHost must not be blank");
        checkPort("upstreamPort", upstreamPort, 1);
        if (connectTimeout.isNegative() || connectTimeout.isZero() || connectTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("connectTimeout must be > 0 and < 24 days, was " + connectTimeout);
        }
        if (bufferSize < 1024 || bufferSize > 16 * 1024 * 1024) {
            throw new IllegalArgumentException("bufferSize must be in [1024, 16777216] bytes, was " + bufferSize);
        }
        if (buffersPerDirection < 2 || buffersPerDirection > 1024) {
            throw new IllegalArgumentException("buffersPerDirection must be in [2, 1024], was " + buffersPerDirection);
        }
    }

    public static Builder custom() {
        return new Builder();
    }

    /** A builder starting from this config's values. */
    public static Builder from(ProxyConfig base) {
        Builder b = new Builder();
        b.name = base.name;
        b.listenAddress = base.listenAddress;
        b.listenPort = base.listenPort;
        b.upstreamHost = base.upstreamHost;
        b.upstreamPort = base.upstreamPort;
        b.connectTimeout = base.connectTimeout;
        b.bufferSize = base.bufferSize;
        b.buffersPerDirection = base.buffersPerDirection;
        return b;
    }

    /** "name 127.0.0.1:0 -> db:5432" */
    @Override
    public String toString() {
        return name + " " + listenAddress.getHostAddress() + ":" + listenPort + " -> " + upstreamHost + ":" + upstreamPort;
    }

    private static void checkPort(String what, int port, int min) {
        if (port < min || port > 65535) {
            throw new IllegalArgumentException(what + " must be in [" + min + ", 65535], was " + port);
        }
    }

    public static final class Builder {
        private String name = "proxy";
        private InetAddress listenAddress = InetAddress.getLoopbackAddress();
        private int listenPort = 0;
        private String upstreamHost;
        private int upstreamPort = -1;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int bufferSize = DEFAULT_BUFFER_SIZE;
        private int buffersPerDirection = DEFAULT_BUFFERS_PER_DIRECTION;

        private Builder() {}

        public Builder name(String name) {
            if (name == null || name.isBlank()) throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
            this.name = name;
            return this;
        }

        /** Binds {@code address} (an IP literal or a resolvable name) on {@code port} (0: any free port). */
        public Builder listen(String address, int port) {
            Objects.requireNonNull(address, "address");
            try {
                return listen(InetAddress.getByName(address), port);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("listen address '" + address + "' does not resolve", e);
            }
        }

        public Builder listen(InetAddress address, int port) {
            Objects.requireNonNull(address, "address");
            checkPort("listenPort", port, 0);
            this.listenAddress = address;
            this.listenPort = port;
            return this;
        }

        public Builder upstream(String host, int port) {
            if (host == null || host.isBlank()) throw new IllegalArgumentException("upstreamHost must not be blank, was '" + host + "'");
            checkPort("upstreamPort", port, 1);
            this.upstreamHost = host;
            this.upstreamPort = port;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public Builder bufferSize(int bytes) {
            this.bufferSize = bytes;
            return this;
        }

        public Builder buffersPerDirection(int count) {
            this.buffersPerDirection = count;
            return this;
        }

        public ProxyConfig build() {
            if (upstreamHost == null) throw new IllegalStateException("upstream(host, port) must be set before build()");
            return new ProxyConfig(name, listenAddress, listenPort, upstreamHost, upstreamPort, connectTimeout,
                    bufferSize, buffersPerDirection);
        }
    }
}
