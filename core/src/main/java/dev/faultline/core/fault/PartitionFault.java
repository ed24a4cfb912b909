package dev.faultline.core.fault;

import dev.faultline.core.netfilter.RuleTag;
import dev.faultline.core.engine.ContainerInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the network between two services, both directions: in each container of either side, a
 * netfilter rule drops (or rejects) every packet to the other side's addresses, so new connections
 * fail and established ones stall, while both keep talking to everything else. A helper per
 * container holds its rule and deletes it at {@code duration} even if the JVM died; revert deletes
 * them all. Addresses are those of the containers running at injection time.
 *
 * @param reject true for REJECT (callers fail at once: connection refused / host unreachable),
 *               false for DROP (callers hang until their timeouts)
 */
public record PartitionFault(String serviceA, String serviceB, boolean reject, Duration duration) implements Fault {

    public static final Duration MAX_DURATION = Duration.ofHours(24);
    public static final Duration DEFAULT_DURATION = Duration.ofMinutes(10);

    public PartitionFault {
        Checks.service(serviceA);
        Checks.service(serviceB);
        if (serviceA.equals(serviceB)) {
            throw new IllegalArgumentException("serviceB must differ from serviceA, got '" + serviceB + "' twice");
        }
        Checks.positive("duration", duration, MAX_DURATION);
    }

    /** Packets between {@code a} and {@code b} dropped both ways, for at most 10 minutes. */
    public static PartitionFault between(String a, String b) {
        return new PartitionFault(a, b, false, DEFAULT_DURATION);
    }

    /** Rejected instead of dropped: callers fail at once instead of waiting for their timeouts. */
    public PartitionFault rejecting() {
        return new PartitionFault(serviceA, serviceB, true, duration);
    }

    public PartitionFault lasting(Duration d) {
        return new PartitionFault(serviceA, serviceB, reject, d);
    }

    @Override
    public String describe() {
        return "partition " + serviceA + " <-> " + serviceB + " (" + (reject ? "rejected" : "dropped") + " both ways) for at most "
                + duration.toSeconds() + " s";
    }

    @Override
    public Injection inject(FaultContext context) {
        String what = "partition " + serviceA + " <-> " + serviceB;
        List<ContainerInfo> a = Targeting.all(serviceA).resolve(context, what);
        List<ContainerInfo> b = Targeting.all(serviceB).resolve(context, what);
        // every address first, so that a side with no shared network fails before anything is touched
        List<List<Peer>> peersOfA = a.stream().map(c -> Peer.of(context, c, serviceB, what)).toList();
        List<List<Peer>> peersOfB = b.stream().map(c -> Peer.of(context, c, serviceA, what)).toList();
        String tag = RuleTag.next(context.runId(), "partition");
        List<Injection> done = new ArrayList<>();
        try {
            for (int i = 0; i < a.size(); i++) {
                done.add(cut(context, a.get(i), peersOfA.get(i), serviceB, tag));
            }
            for (int i = 0; i < b.size(); i++) {
                done.add(cut(context, b.get(i), peersOfB.get(i), serviceA, tag));
            }
        } catch (RuntimeException e) {
            SimpleInjection.undoing(e, () -> SimpleInjection.closeAll(done));
            throw e instanceof FaultException ? e : new FaultException(what + " failed: " + e.getMessage(), e);
        }
        return SimpleInjection.all(done);
    }

    private Injection cut(FaultContext context, ContainerInfo c, List<Peer> others, String otherService, String tag) {
        String target = reject ? "REJECT" : "DROP";
        List<NamespaceChange.Rule> rules = others.stream()
                .map(p -> new NamespaceChange.Rule("filter", "OUTPUT", "-d " + p.ip(), target))
                .toList();
        return NamespaceChange.holdRules(context, "partition", c, duration, tag, rules,
                "packets to " + otherService + " " + others.stream().map(Peer::ip).toList() + " " + (reject ? "rejected" : "dropped"),
                reject ? "rejected" : "dropped", "neither side sent a packet to the other during the fault");
    }
}
