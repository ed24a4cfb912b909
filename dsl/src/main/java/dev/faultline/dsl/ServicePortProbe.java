package dev.faultline.dsl;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.probe.ErrorClass;
import dev.faultline.core.probe.Probe;
import dev.faultline.core.probe.ProbeResult;
import dev.faultline.core.target.Targets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Does {@code service} accept TCP connections on {@code port}? Connects to its container's address
 * on the Compose network, looked up on every check (a restarted container may get another one).
 * Unbound, it belongs to no project yet: an experiment binds it to its own when built.
 */
final class ServicePortProbe implements Probe {

    private static final int TIMEOUT_MS = 300;

    private final String service;
    private final int port;
    private final Supplier<Targets> targets;

    private ServicePortProbe(String service, int port, Supplier<Targets> targets) {
        this.service = service;
        this.port = port;
        this.targets = targets;
    }

    static ServicePortProbe unbound(String service, int port) {
        return new ServicePortProbe(Args.service("service", service), Args.between("port", port, 1, 65535), null);
    }

    /** The same probe, finding the service in {@code project} (looked up once, on first use). */
    ServicePortProbe bind(Project project) {
        return new ServicePortProbe(service, port, memoize(project::targetsForProbes));
    }

    boolean bound() {
        return targets != null;
    }

    @Override
    public String name() {
        return "TCP " + service + ":" + port;
    }

    @Override
    public ProbeResult check() {
        Instant time = Instant.now();
        long start = System.nanoTime();
        Optional<String> address;
        try {
            address = (targets == null ? Chaos.project().targetsForProbes() : targets.get()).containers(service).stream()
                    .filter(ContainerInfo::running).flatMap(c -> c.ipAddresses().values().stream())
                    .filter(ip -> ip != null && !ip.isBlank()).findFirst();
        } catch (RuntimeException e) {
            return new ProbeResult(name(), time, false, Duration.ZERO, ErrorClass.OTHER, "could not look up " + service + ": " + e.getMessage());
        }
        if (address.isEmpty()) {
            return new ProbeResult(name(), time, false, Duration.ZERO, ErrorClass.REFUSED, service + " is not running");
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.get(), port), TIMEOUT_MS);
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            return new ProbeResult(name(), time, true, latency, ErrorClass.NONE, "connected in " + latency.toMillis() + " ms");
        } catch (IOException e) {
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            ErrorClass error = ErrorClass.ofException(e);
            return new ProbeResult(name(), time, false, latency, error, error.label() + " at " + address.get() + ":" + port);
        }
    }

    /** Looked up once, on first use, then kept (also for a swarm project's engine). */
    static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public T get() {
                T v = value;
                if (v == null) {
                    synchronized (this) {
                        if (value == null) {
                            value = supplier.get();
                        }
                        v = value;
                    }
                }
                return v;
            }
        };
    }
}
