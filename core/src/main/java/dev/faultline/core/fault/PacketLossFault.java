package dev.faultline.core.fault;

import dev.faultline.core.netfilter.RuleTag;
import dev.faultline.core.engine.ContainerInfo;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Drops a random share of a target's outgoing packets: a netfilter {@code statistic --mode random}
 * DROP rule in its network namespace (this kernel has no netem; netfilter is everywhere), on all
 * egress but loopback, or only to a destination service and/or port. Each packet is dropped
 * independently with {@code probability}; TCP sees retransmissions and stalls, UDP sees gaps, and a
 * local sender gets EPERM for a dropped datagram. A helper holds the rule (commented with the run id)
 * and deletes it at {@code duration} even if the JVM died; revert deletes it earlier.
 */
public record PacketLossFault(Targeting targeting, double probability, Egress egress, Duration duration)
        implements PerContainerFaultSupport {

    public static final Duration MAX_DURATION = Duration.ofHours(24);
    public static final Duration DEFAULT_DURATION = Duration.ofMinutes(10);

    public PacketLossFault {
        Objects.requireNonNull(targeting, "targeting");
        if (!(probability > 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be in (0, 1], got " + probability);
        }
        Objects.requireNonNull(egress, "egress");
        Checks.positive("duration", duration, MAX_DURATION);
    }

    /** Drops {@code probability} (0-1] of everything {@code service} sends, except on loopback, for at most 10 minutes. */
    public static PacketLossFault of(String service, double probability) {
        return new PacketLossFault(Targeting.all(service), probability, Egress.anywhere(), DEFAULT_DURATION);
    }

    /** Only packets to {@code destinationService}'s containers. */
    public PacketLossFault to(String destinationService) {
        return new PacketLossFault(targeting, probability, new Egress(destinationService, egress.port(), egress.protocols()), duration);
    }

    /** Only packets to {@code destinationService}'s containers on this port (TCP and UDP). */
    public PacketLossFault to(String destinationService, int port) {
        Checks.between("destinationPort", port, 1, 65535);
        return new PacketLossFault(targeting, probability, new Egress(destinationService, port, egress.protocols()), duration);
    }

    /** Only packets to this port (TCP and UDP), whatever the destination. */
    public PacketLossFault toPort(int port) {
        Checks.between("destinationPort", port, 1, 65535);
        return new PacketLossFault(targeting, probability, new Egress(egress.service(), port, egress.protocols()), duration);
    }

    /** The rule is deleted after this long even if nobody reverts it (the JVM died). */
    public PacketLossFault lasting(Duration d) {
        return new PacketLossFault(targeting, probability, egress, d);
    }

    public PacketLossFault index(int index) {
        return new PacketLossFault(targeting.index(index), probability, egress, duration);
    }

    public PacketLossFault limit(int max) {
        return new PacketLossFault(targeting.limit(max), probability, egress, duration);
    }

    @Override
    public String kind() {
        return "loss";
    }

    @Override
    public String describe() {
        return percent() + " packet loss from " + targeting + " to " + egress + " for at most " + duration.toSeconds() + " s";
    }

    private String percent() {
        return BigDecimal.valueOf(probability * 100).stripTrailingZeros().toPlainString() + "%";
    }

    @Override
    public Injection injectOne(FaultContext context, ContainerInfo c) {
        String p = BigDecimal.valueOf(probability).stripTrailingZeros().toPlainString();
        List<NamespaceChange.Rule> rules = egress.matches(context, c, kind() + " " + c.name() + " -> " + egress).stream()
                .map(m -> new NamespaceChange.Rule("filter", "OUTPUT", m + " -m statistic --mode random --probability " + p, "DROP"))
                .toList();
        return NamespaceChange.holdRules(context, kind(), c, duration, RuleTag.next(context.runId(), kind()), rules,
                percent() + " random packet loss to " + egress, "dropped", c.name() + " sent no packet to " + egress
                        + " during the fault" + (probability < 0.05 ? ", or too few for a " + percent() + " loss to pick one" : ""));
    }
}
