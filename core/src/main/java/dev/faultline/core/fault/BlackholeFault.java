package dev.faultline.core.fault;

import dev.faultline.core.netfilter.RuleTag;
import dev.faultline.core.engine.ContainerInfo;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Makes a destination port a black hole for a target: every TCP packet it sends there is dropped
 * (netfilter DROP in its network namespace), so connects and requests hang until the client's own
 * timeouts, the way an unreachable host or a silent firewall behaves (unlike a refused connection,
 * which fails at once). Optionally only to one destination service. A helper holds the rule and
 * deletes it at {@code duration} even if the JVM died; revert deletes it earlier.
 */
public record BlackholeFault(Targeting targeting, Egress egress, Duration duration) implements PerContainerFaultSupport {

    public static final Duration MAX_DURATION = Duration.ofHours(24);
    public static final Duration DEFAULT_DURATION = Duration.ofMinutes(10);

    public BlackholeFault {
        Objects.requireNonNull(targeting, "targeting");
        Objects.requireNonNull(egress, "egress");
        if (egress.port() == 0) {
            throw new IllegalArgumentException("destinationPort must be in [1, 65535], got 0");
        }
        Checks.positive("duration", duration, MAX_DURATION);
    }

    /** TCP from {@code service} to port {@code port} of any destination disappears, for at most 10 minutes. */
    public static BlackholeFault of(String service, int port) {
        Checks.between("destinationPort", port, 1, 65535);
        return new BlackholeFault(Targeting.all(service), new Egress(null, port, List.of("tcp")), DEFAULT_DURATION);
    }

    /** TCP from {@code service} to {@code destinationService:port} disappears. */
    public static BlackholeFault of(String service, String destinationService, int port) {
        Checks.between("destinationPort", port, 1, 65535);
        return new BlackholeFault(Targeting.all(service), new Egress(destinationService, port, List.of("tcp")), DEFAULT_DURATION);
    }

    /** UDP to the port too (e.g. a DNS or statsd port). */
    public BlackholeFault andUdp() {
        return new BlackholeFault(targeting, new Egress(egress.service(), egress.port(), List.of("tcp", "udp")), duration);
    }

    public BlackholeFault lasting(Duration d) {
        return new BlackholeFault(targeting, egress, d);
    }

    public BlackholeFault index(int index) {
        return new BlackholeFault(targeting.index(index), egress, duration);
    }

    public BlackholeFault limit(int max) {
        return new BlackholeFault(targeting.limit(max), egress, duration);
    }

    @Override
    public String kind() {
        return "blackhole";
    }

    @Override
    public String describe() {
        return "blackhole " + egress + " for " + targeting + " (packets dropped, clients hang until their timeouts) for at most "
                + duration.toSeconds() + " s";
    }

    @Override
    public Injection injectOne(FaultContext context, ContainerInfo c) {
        List<NamespaceChange.Rule> rules = egress.matches(context, c, kind() + " " + c.name() + " -> " + egress).stream()
                .map(m -> new NamespaceChange.Rule("filter", "OUTPUT", m, "DROP"))
                .toList();
        return NamespaceChange.holdRules(context, kind(), c, duration, RuleTag.next(context.runId(), kind()), rules,
                "every packet to " + egress + " dropped", "dropped", c.name() + " sent no packet to " + egress + " during the fault:"
                        + " nothing there uses this destination, or only over connections that were idle throughout");
    }
}
