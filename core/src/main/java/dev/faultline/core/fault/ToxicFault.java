package dev.faultline.core.fault;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.helper.Helpers;
import dev.faultline.core.proxy.Direction;
import dev.faultline.core.proxy.Toxic;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Connection-level misbehaviour between one service and a destination service's port, made by the
 * in-JVM {@link dev.faultline.core.proxy.ToxicProxy} on the DNAT route that {@link NetworkLatencyFault}
 * uses (see {@link ProxyRoute}): connections reset (a TCP RST to both ends), timed out (nothing
 * forwarded, the connection held open, optionally closed later) or closed slowly (a FIN reaches the
 * other side late). Each toxic acts on both directions of every connection through the proxy; by
 * default the target's established connections to the destination are reset at injection so that
 * persistent ones (Django's CONN_MAX_AGE) come back through it ({@link #onlyNewConnections()} leaves them). The helper removes its rule when the JVM or proxy dies, at {@code duration}, or on revert.
 */
public record ToxicFault(Targeting targeting, String destinationService, int destinationPort, Toxic toxic, Duration duration,
                         boolean resetExisting) implements PerContainerFaultSupport {

    public static final Duration MAX_DELAY = Duration.ofHours(1);
    public static final Duration MAX_DURATION = Duration.ofHours(24);
    public static final Duration DEFAULT_DURATION = Duration.ofMinutes(10);

    public ToxicFault {
        Objects.requireNonNull(targeting, "targeting");
        Checks.service(destinationService);
        Checks.between("destinationPort", destinationPort, 1, 65535);
        Objects.requireNonNull(toxic, "toxic");
        if (toxic instanceof Toxic.ResetPeer r) {
            Checks.between("after", r.after(), Duration.ZERO, MAX_DELAY);
        } else if (toxic instanceof Toxic.Timeout t) {
            Checks.between("closeAfter", t.closeAfter(), Duration.ZERO, MAX_DELAY);
        } else if (toxic instanceof Toxic.SlowClose s) {
            Checks.positive("delay", s.delay(), MAX_DELAY);
        } else {
            throw new IllegalArgumentException("toxic must be a reset, timeout or slow close (latency: NetworkLatencyFault,"
                    + " bandwidth: BandwidthFault), got " + toxic);
        }
        Checks.positive("duration", duration, MAX_DURATION);
    }

    /**
     * Connections from {@code service} to {@code destinationService:port} are reset (RST to both ends)
     * {@code after} they open (ZERO: at once, before any data).
     */
    public static ToxicFault connectionReset(String service, String destinationService, int port, Duration after) {
        return new ToxicFault(Targeting.all(service), destinationService, port, checked(() -> Toxic.resetPeer(after), "after", after),
                DEFAULT_DURATION, true);
    }

    /**
     * Connections open, but nothing goes through either way; they are closed {@code closeAfter} they
     * opened, or held until revert with ZERO: clients wait for their own timeouts.
     */
    public static ToxicFault timeout(String service, String destinationService, int port, Duration closeAfter) {
        return new ToxicFault(Targeting.all(service), destinationService, port,
                checked(() -> Toxic.timeout(closeAfter), "closeAfter", closeAfter), DEFAULT_DURATION, true);
    }

    /** Data flows, but either side's close (FIN) reaches the other {@code delay} late. */
    public static ToxicFault slowClose(String service, String destinationService, int port, Duration delay) {
        return new ToxicFault(Targeting.all(service), destinationService, port, checked(() -> Toxic.slowClose(delay), "delay", delay),
                DEFAULT_DURATION, true);
    }

    /** The toxic's own check, with this class's message: the argument, its value and the range. */
    private static Toxic checked(java.util.function.Supplier<Toxic> make, String name, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be in [PT0S, " + MAX_DELAY + "], got " + value);
        }
        return make.get();
    }

    /** The rule is deleted after this long even if nobody reverts it (the JVM died). */
    public ToxicFault lasting(Duration d) {
        return new ToxicFault(targeting, destinationService, destinationPort, toxic, d, resetExisting);
    }

    /** Aborts the target's open connections to the destination ({@code ss -K}) so they reconnect through the proxy: the default. */
    public ToxicFault resetExistingConnections() {
        return new ToxicFault(targeting, destinationService, destinationPort, toxic, duration, true);
    }

    /** Leaves the target's established connections alone: only connections opened after injection meet the toxic. */
    public ToxicFault onlyNewConnections() {
        return new ToxicFault(targeting, destinationService, destinationPort, toxic, duration, false);
    }

    public ToxicFault index(int index) {
        return new ToxicFault(targeting.index(index), destinationService, destinationPort, toxic, duration, resetExisting);
    }

    public ToxicFault limit(int max) {
        return new ToxicFault(targeting.limit(max), destinationService, destinationPort, toxic, duration, resetExisting);
    }

    @Override
    public String kind() {
        if (toxic instanceof Toxic.ResetPeer) {
            return "reset";
        }
        return toxic instanceof Toxic.Timeout ? "timeout" : "slow-close";
    }

    /** What the proxy does to each connection, in words. */
    String effect() {
        if (toxic instanceof Toxic.ResetPeer r) {
            return "resetting each connection (RST to both ends) " + (r.after().isZero() ? "as soon as it opens"
                    : r.after().toMillis() + " ms after it opens");
        }
        if (toxic instanceof Toxic.Timeout t) {
            return "forwarding nothing either way and " + (t.closes() ? "closing each connection " + t.closeAfter().toMillis()
                    + " ms after it opens" : "holding each connection open until revert");
        }
        return "delaying each side's close (FIN) by " + ((Toxic.SlowClose) toxic).delay().toMillis() + " ms";
    }

    @Override
    public String describe() {
        return kind() + " on connections from " + targeting + " to " + destinationService + ":" + destinationPort + " (" + effect()
                + ")" + (resetExisting ? "" : " (new connections only)");
    }

    @Override
    public Injection injectOne(FaultContext context, ContainerInfo c) {
        List<Peer> destinations = Peer.of(context, c, destinationService,
                kind() + " " + c.name() + " -> " + destinationService + ":" + destinationPort);
        return ProxyRoute.inject(context, Helpers.on(context.engine()), c, new ProxyRoute.Route(kind(), destinations,
                destinationPort, duration, resetExisting, (tag, proxy) -> proxy.addToxic(tag, Direction.BOTH, toxic), effect(),
                "affected", "", false));
    }
}
