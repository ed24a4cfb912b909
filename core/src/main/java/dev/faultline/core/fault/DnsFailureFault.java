package dev.faultline.core.fault;

import dev.faultline.core.netfilter.RuleTag;
import dev.faultline.core.engine.ContainerInfo;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Name resolution fails inside a target: its DNS queries (UDP and TCP to port 53) are dropped or
 * rejected in its network namespace.
 *
 * <p>Docker's embedded DNS server is 127.0.0.11 in each namespace, and Docker's own nat rules there
 * redirect its port 53 to a random port before the filter table sees the packet. The rules
 * therefore match the port the query was <em>sent</em> to ({@code conntrack --ctorigdstport 53}),
 * which reaches the embedded server as well as any other resolver. DROP discards the <em>answers</em>
 * (INPUT, reply direction): a query dropped on its way out would fail the sender's write at once
 * (EPERM), whereas an unanswered one makes a lookup hang for the resolver's timeout (glibc: 5 s per
 * attempt, 2 attempts) like a dead DNS server. REJECT refuses the queries on their way out, so
 * lookups fail at once. Names already cached by the application keep working. A helper holds the rules and deletes
 * them at {@code duration} even if the JVM died; revert deletes them earlier.
 */
public record DnsFailureFault(Targeting targeting, boolean reject, Duration duration) implements PerContainerFaultSupport {

    public static final Duration MAX_DURATION = Duration.ofHours(24);
    public static final Duration DEFAULT_DURATION = Duration.ofMinutes(10);

    public DnsFailureFault {
        Objects.requireNonNull(targeting, "targeting");
        Checks.positive("duration", duration, MAX_DURATION);
    }

    /** DNS queries from {@code service} dropped (lookups time out), for at most 10 minutes. */
    public static DnsFailureFault of(String service) {
        return new DnsFailureFault(Targeting.all(service), false, DEFAULT_DURATION);
    }

    /** Queries rejected instead: lookups fail at once instead of after the resolver's timeout. */
    public DnsFailureFault rejecting() {
        return new DnsFailureFault(targeting, true, duration);
    }

    public DnsFailureFault lasting(Duration d) {
        return new DnsFailureFault(targeting, reject, d);
    }

    public DnsFailureFault index(int index) {
        return new DnsFailureFault(targeting.index(index), reject, duration);
    }

    public DnsFailureFault limit(int max) {
        return new DnsFailureFault(targeting.limit(max), reject, duration);
    }

    @Override
    public String kind() {
        return "dns";
    }

    @Override
    public String describe() {
        return "DNS failure in " + targeting + " (queries " + (reject ? "rejected" : "dropped") + ") for at most "
                + duration.toSeconds() + " s";
    }

    static List<NamespaceChange.Rule> rules(boolean reject) {
        if (reject) {
            return List.of(
                    new NamespaceChange.Rule("filter", "OUTPUT", "-p udp -m conntrack --ctorigdstport 53 --ctdir ORIGINAL", "REJECT"),
                    new NamespaceChange.Rule("filter", "OUTPUT", "-p tcp -m conntrack --ctorigdstport 53 --ctdir ORIGINAL", "REJECT"));
        }
        return List.of(
                new NamespaceChange.Rule("filter", "INPUT", "-p udp -m conntrack --ctorigdstport 53 --ctdir REPLY", "DROP"),
                new NamespaceChange.Rule("filter", "INPUT", "-p tcp -m conntrack --ctorigdstport 53 --ctdir REPLY", "DROP"));
    }

    @Override
    public Injection injectOne(FaultContext context, ContainerInfo c) {
        return NamespaceChange.holdRules(context, kind(), c, duration, RuleTag.next(context.runId(), kind()), rules(reject),
                reject ? "DNS queries (to port 53 as sent, before Docker's redirect of 127.0.0.11) rejected"
                        : "answers to DNS queries (port 53 as sent, before Docker's redirect of 127.0.0.11) dropped, so lookups time out",
                reject ? "rejected" : "dropped", c.name() + " made no DNS lookup during the fault: it resolved its names"
                        + " before (cached, or connections opened earlier), or resolves none");
    }
}
