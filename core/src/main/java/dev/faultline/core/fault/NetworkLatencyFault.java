package dev.faultline.core.fault;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.ExecResult;
import dev.faultline.core.helper.Helper;
import dev.faultline.core.helper.HelperRequest;
import dev.faultline.core.helper.Helpers;
import dev.faultline.core.proxy.Direction;
import dev.faultline.core.proxy.Toxic;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adds latency (and jitter) to TCP traffic from one service to a destination service's port,
 * e.g. web → db:5432, and to nothing else.
 *
 * <p>Where the kernel has netem, a helper in the target's network namespace adds an {@code htb}
 * qdisc with one class holding a {@code netem delay}, and a {@code u32} filter that sends only
 * packets to the destination IP and port there (the target's own root qdisc is replaced meanwhile). Where it has not (detected once per JVM with a throwaway
 * helper, never assumed), faultline starts a {@link ToxicProxy} in this JVM, listening on the
 * target network's gateway address, forwarding to the destination with a latency toxic on the
 * responses; a helper with NET_ADMIN in the target's network namespace adds an iptables
 * {@code nat OUTPUT} DNAT rule (commented {@code faultline:<run id>:...}) sending the destination
 * IP:port to the proxy. The mechanism string says which was used.
 *
 * <p><b>Existing connections:</b> conntrack keeps routing a connection the way its first packet went,
 * so a DNAT rule alone reaches only connections opened after it, and Django's persistent database
 * connection would never see the delay. By default the fault therefore aborts the target's established
 * connections to the destination right after the rule is in place (kernel socket destroy, {@code ss -K}
 * in its namespace), so they reconnect through the proxy; {@link #onlyNewConnections()} leaves them
 * alone. netem delays existing connections too. The {@link Effect} counts the connections and bytes
 * that went through the delay, and the connections reset.
 *
 * <p>The helper enforces {@code duration} itself and, with the proxy, connects to a lifeline socket
 * in this JVM every second: when the JVM or the proxy is gone it deletes its rule, so the rule never
 * outlives the proxy (a DNAT rule to nothing black-holes the traffic). Revert deletes the rule,
 * removes the helper, stops the proxy.
 */
public record NetworkLatencyFault(Targeting targeting, String destinationService, int destinationPort,
                                  Duration latency, Duration jitter, Duration duration,
                                  boolean resetExisting) implements PerContainerFaultSupport {

    public static final Duration MAX_LATENCY = Duration.ofSeconds(60);
    public static final Duration MAX_DURATION = Duration.ofHours(24);
    public static final Duration DEFAULT_DURATION = Duration.ofMinutes(10);
    /** Set to {@code false} to use the proxy even where the kernel has netem. */
    public static final String NETEM_PROPERTY = "faultline.netem";

    private static final Map<String, Boolean> NETEM = new ConcurrentHashMap<>();

    public NetworkLatencyFault {
        Objects.requireNonNull(targeting, "targeting");
        Checks.service(destinationService);
        Checks.between("destinationPort", destinationPort, 1, 65535);
        Checks.between("latency", latency, Duration.ZERO, MAX_LATENCY);
        Checks.between("jitter", jitter, Duration.ZERO, latency);
        Checks.positive("duration", duration, MAX_DURATION);
    }

    /** {@code latency} on traffic from {@code service} to {@code destinationService:port}, for at most 10 minutes. */
    public static NetworkLatencyFault of(String service, String destinationService, int destinationPort, Duration latency) {
        return new NetworkLatencyFault(Targeting.all(service), destinationService, destinationPort, latency, Duration.ZERO,
                DEFAULT_DURATION, true);
    }

    /** Each delay is {@code latency ± jitter} (uniform); jitter must be in [0, latency]. */
    public NetworkLatencyFault jitter(Duration j) {
        return new NetworkLatencyFault(targeting, destinationService, destinationPort, latency, j, duration, resetExisting);
    }

    /** The fault ends by itself after this long even if nobody reverts it (the JVM died). */
    public NetworkLatencyFault lasting(Duration d) {
        return new NetworkLatencyFault(targeting, destinationService, destinationPort, latency, jitter, d, resetExisting);
    }

    public NetworkLatencyFault index(int index) {
        return new NetworkLatencyFault(targeting.index(index), destinationService, destinationPort, latency, jitter, duration, resetExisting);
    }

    public NetworkLatencyFault limit(int max) {
        return new NetworkLatencyFault(targeting.limit(max), destinationService, destinationPort, latency, jitter, duration, resetExisting);
    }

    /**
     * With the proxy route (the default), the target's established connections to the destination are
     * aborted right after the rule is in place ({@code ss -K}, kernel socket destroy), so that clients
     * holding a persistent connection (Django's CONN_MAX_AGE) reconnect, through the delay. Their next
     * use of the old connection fails (ECONNABORTED), which is itself a fault a resilient client must survive.
     */
    public NetworkLatencyFault resetExistingConnections() {
        return new NetworkLatencyFault(targeting, destinationService, destinationPort, latency, jitter, duration, true);
    }

    /**
     * Leaves the target's established connections alone: with the proxy route only connections opened
     * after injection are delayed (conntrack keeps the old ones on their direct path), so a client that
     * keeps its connections may never see the delay; the {@link Effect} then says so. netem delays every packet anyway.
     */
    public NetworkLatencyFault onlyNewConnections() {
        return new NetworkLatencyFault(targeting, destinationService, destinationPort, latency, jitter, duration, false);
    }

    @Override
    public String kind() {
        return "latency";
    }

    @Override
    public String describe() {
        return latency.toMillis() + " ms" + (jitter.isZero() ? "" : " ± " + jitter.toMillis() + " ms") + " latency from "
                + targeting + " to " + destinationService + ":" + destinationPort
                + (resetExisting ? "" : " (new connections only)");
    }

    @Override
    public Injection injectOne(FaultContext context, ContainerInfo c) {
        List<Peer> destinations = destinations(context, c);
        Helpers helpers = Helpers.on(context.engine());
        return netemAvailable(helpers, context.runId())
                ? injectNetem(context, helpers, c, destinations)
                : injectProxy(context, helpers, c, destinations);
    }

    /** Running containers of the destination service, with their address on a network the target shares. */
    List<Peer> destinations(FaultContext context, ContainerInfo c) {
        return Peer.of(context, c, destinationService, "latency " + c.name() + " -> " + destinationService + ":" + destinationPort);
    }

    // ---- proxy + DNAT

    private Injection injectProxy(FaultContext context, Helpers helpers, ContainerInfo c, List<Peer> destinations) {
        String why = netemDisabled() ? "netem disabled (-D" + NETEM_PROPERTY + "=false)" : "no netem in this kernel";
        return ProxyRoute.inject(context, helpers, c, new ProxyRoute.Route(kind(), destinations, destinationPort, duration,
                resetExisting, (tag, proxy) -> proxy.addToxic(tag, Direction.DOWNSTREAM, Toxic.latency(latency, jitter)),
                "adding " + describeDelay() + " to responses", "delayed", why + ": ", true));
    }

    private String describeDelay() {
        return latency.toMillis() + " ms" + (jitter.isZero() ? "" : " ± " + jitter.toMillis() + " ms");
    }

    // ---- netem

    /** Tries {@code tc qdisc add dev lo root netem} in a throwaway network namespace (a helper with no network); cached per JVM. */
    private static boolean netemAvailable(Helpers helpers, String runId) {
        if (netemDisabled()) {
            return false;
        }
        return NETEM.computeIfAbsent(helpers.image().tag(), k -> {
            HelperRequest probe = HelperRequest.of(runId, "netem-probe", null, Duration.ofSeconds(20),
                            List.of("tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms"))
                    .withNetworkMode("none")
                    .withCapAdd("NET_ADMIN");
            return helpers.runToEnd(probe, Duration.ofSeconds(40)).exitCode() == 0;
        });
    }

    private static boolean netemDisabled() {
        return "false".equalsIgnoreCase(System.getProperty(NETEM_PROPERTY));
    }

    private Injection injectNetem(FaultContext context, Helpers helpers, ContainerInfo c, List<Peer> destinations) {
        String delay = latency.toMillis() + "ms" + (jitter.isZero() ? "" : " " + jitter.toMillis() + "ms");
        HelperRequest request = HelperRequest.of(context.runId(), kind(), c, duration, List.of("bash", "-c", netemWatchdogScript()))
                .withNetworkMode("container:" + c.id())
                .withCapAdd("NET_ADMIN");
        Helper helper = helpers.start(request);
        Engine engine = context.engine();
        Runnable revert = () -> {
            // TERM reaches the helper's timeout, which passes it to the script: its trap deletes the qdisc
            try {
                engine.kill(helper.id(), "TERM");
                helper.waitForExit(Duration.ofSeconds(10));
            } catch (RuntimeException ignored) {
                // already ended at its deadline, having deleted the qdisc itself
            }
            helper.remove();
        };
        Instant at = Instant.now();
        try {
            ExecResult set = helper.exec(List.of("bash", "-c", netemSetupScript(destinations.stream().map(Peer::ip).toList(),
                    destinationPort, "netem delay " + delay)), Duration.ofSeconds(20));
            if (!set.ok()) {
                throw new FaultException("latency " + c.name() + ": helper " + helper.name() + " could not set up netem (exit "
                        + set.exitCode() + "): " + set.stderr().strip());
            }
        } catch (RuntimeException e) {
            throw SimpleInjection.undoing(e, revert);
        }
        String mechanism = "tc netem delay " + delay + " on packets to " + destinations.stream().map(Peer::ip).toList()
                + " port " + destinationPort + " (htb class + u32 filter) in " + c.name() + "'s network namespace from helper "
                + helper.name() + "; applies to existing connections too; removed by the helper after "
                + duration.toSeconds() + " s or on revert";
        String to = destinationService + ":" + destinationPort;
        return SimpleInjection.reverting(mechanism, List.of(c.name()), at, revert).measuredBy(() -> {
            ExecResult r = helper.exec(List.of("bash", "-c", "tc -s class show dev \"$(cat /tmp/faultline-dev)\" classid 1:4"),
                    Duration.ofSeconds(10));
            long[] sent = NamespaceChange.sent(r.stdout());
            return Effect.of(sent[1] > 0, "latency " + c.name() + "\u2192" + to + ": " + sent[1] + " packet(s) (" + sent[0]
                            + " bytes) went through the netem class", c.name() + " sent no packet to " + to + " during the fault",
                    List.of(Effect.count("packets delayed", sent[1], ""), Effect.count("bytes delayed", sent[0], "B")));
        });
    }

    /**
     * Adds, on the interface that routes to the destination, an {@code htb} root whose default class
     * is unlimited, a second class holding {@code leaf} (the netem delay), and {@code u32} filters
     * sending only the destination IP:port there. htb rather than prio because some kernels (this
     * one) lack prio but every Docker host has htb. Records the interface for the watchdog's cleanup.
     */
    static String netemSetupScript(List<String> ips, int port, String leaf) {
        StringBuilder filters = new StringBuilder();
        for (String ip : ips) {
            filters.append("tc filter add dev \"$dev\" protocol ip parent 1: prio 1 u32 match ip dst ").append(ip)
                    .append("/32 match ip dport ").append(port).append(" 0xffff flowid 1:4\n");
        }
        return String.join("\n",
                "set -e",
                "dev=$(ip -4 route get " + ips.get(0) + " | awk '{for (i = 1; i < NF; i++) if ($i == \"dev\") { print $(i + 1); exit }}')",
                "[ -n \"$dev\" ]",
                "echo \"$dev\" > /tmp/faultline-dev",
                "tc qdisc add dev \"$dev\" root handle 1: htb default 1",
                "tc class add dev \"$dev\" parent 1: classid 1:1 htb rate 100gbit quantum 200000",
                "tc class add dev \"$dev\" parent 1: classid 1:4 htb rate 100gbit quantum 200000",
                "tc qdisc add dev \"$dev\" parent 1:4 handle 40: " + leaf,
                filters.toString().strip());
    }

    /** The netem helper's main command: wait for the deadline (TERM) or a revert (TERM), then delete the qdisc. */
    static String netemWatchdogScript() {
        return String.join("\n",
                "cleanup() { [ -s /tmp/faultline-dev ] && tc qdisc del dev \"$(cat /tmp/faultline-dev)\" root 2>/dev/null; }",
                "trap 'cleanup; exit 0' TERM INT",
                "while true; do sleep 1 & wait $!; done");
    }
}
