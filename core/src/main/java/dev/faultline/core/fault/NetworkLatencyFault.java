package dev.faultline.core.fault;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.ExecResult;
import dev.faultline.core.helper.Helper;
import dev.faultline.core.helper.HelperRequest;
import dev.faultline.core.helper.Helpers;
import dev.faultline.core.proxy.Direction;
import dev.faultline.core.proxy.ProxyConfig;
import dev.faultline.core.proxy.Toxic;
import dev.faultline.core.proxy.ToxicProxy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

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
 * <p><b>Existing connections:</b> with the proxy, only connections opened after injection are
 * delayed: conntrack keeps routing a connection the way its first packet went, so Django's persistent
 * database connection is not affected until it reconnects. {@link #resetExistingConnections()} aborts
 * those connections right after the rule is in place (kernel socket destroy, {@code ss -K}), or restart
 * the client service (or terminate its database backends with a {@link SignalFault}). netem delays
 * existing connections too.
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
                DEFAULT_DURATION, false);
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
     * With the proxy route, also aborts the target's open connections to the destination right after
     * the rule is in place ({@code ss -K}, kernel socket destroy), so that clients holding a persistent
     * connection (Django's CONN_MAX_AGE) reconnect, through the delay. Their next use of the old
     * connection fails (ECONNABORTED), which is itself a fault a resilient client must survive.
     */
    public NetworkLatencyFault resetExistingConnections() {
        return new NetworkLatencyFault(targeting, destinationService, destinationPort, latency, jitter, duration, true);
    }

    @Override
    public String kind() {
        return "latency";
    }

    @Override
    public String describe() {
        return latency.toMillis() + " ms" + (jitter.isZero() ? "" : " ± " + jitter.toMillis() + " ms") + " latency from "
                + targeting + " to " + destinationService + ":" + destinationPort
                + (resetExisting ? " (open connections reset)" : "");
    }

    @Override
    public Injection injectOne(FaultContext context, ContainerInfo c) {
        List<Destination> destinations = destinations(context, c);
        Helpers helpers = Helpers.on(context.engine());
        return netemAvailable(helpers, context.runId())
                ? injectNetem(context, helpers, c, destinations)
                : injectProxy(context, helpers, c, destinations);
    }

    /** Running containers of the destination service, with their address on a network the target shares. */
    List<Destination> destinations(FaultContext context, ContainerInfo c) {
        List<Destination> found = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        for (ContainerInfo d : context.targets().containers(destinationService)) {
            if (!d.running()) {
                continue;
            }
            String ip = c.ipAddresses().entrySet().stream()
                    .filter(e -> d.ipAddresses().containsKey(e.getKey()))
                    .map(e -> d.ipAddresses().get(e.getKey()))
                    .filter(a -> a != null && !a.isBlank())
                    .findFirst().orElse(null);
            if (ip == null) {
                unreachable.add(d.name() + " " + d.ipAddresses());
            } else {
                found.add(new Destination(d.name(), ip));
            }
        }
        if (found.isEmpty()) {
            throw new FaultException("latency " + c.name() + " -> " + destinationService + ":" + destinationPort
                    + ": nothing done, no running container of '" + destinationService + "' shares a network with "
                    + c.name() + " " + c.ipAddresses().keySet() + (unreachable.isEmpty() ? "" : "; seen " + unreachable));
        }
        return found;
    }

    record Destination(String name, String ip) {}

    // ---- proxy + DNAT

    private Injection injectProxy(FaultContext context, Helpers helpers, ContainerInfo c, List<Destination> destinations) {
        String tag = "faultline:" + context.runId().replaceAll("[^A-Za-z0-9_.-]", "-") + ":" + kind() + "-"
                + Integer.toHexString(0x10000 | ThreadLocalRandom.current().nextInt(0x10000)).substring(1);
        HelperRequest request = HelperRequest.of(context.runId(), kind(), c, duration,
                        List.of("bash", "-c", dnatWatchdogScript(), "latency", tag))
                .withNetworkMode("container:" + c.id())
                .withCapAdd("NET_ADMIN");
        Helper helper = helpers.start(request);
        List<ToxicProxy> proxies = new ArrayList<>();
        Lifeline lifeline = null;
        Runnable revert = null;
        try {
            InetAddress gateway = gateway(helper, c);
            List<String> rules = new ArrayList<>();
            StringBuilder addRules = new StringBuilder("set -e\n");
            for (Destination d : destinations) {
                ToxicProxy proxy = ToxicProxy.start(ProxyConfig.custom()
                        .name("latency-" + c.name() + "-" + d.name())
                        .listen(gateway, 0)
                        .upstream(d.ip(), destinationPort)
                        .build());
                proxies.add(proxy);
                proxy.addToxic(tag, Direction.DOWNSTREAM, Toxic.latency(latency, jitter));
                String rule = "OUTPUT -p tcp -d " + d.ip() + " --dport " + destinationPort + " -m comment --comment " + tag
                        + " -j DNAT --to-destination " + gateway.getHostAddress() + ":" + proxy.port();
                rules.add(d.ip() + ":" + destinationPort + " -> " + gateway.getHostAddress() + ":" + proxy.port());
                addRules.append("iptables -w 5 -t nat -I ").append(rule).append('\n');
            }
            List<ToxicProxy> watched = List.copyOf(proxies);
            lifeline = new Lifeline(gateway, () -> watched.stream().noneMatch(ToxicProxy::isDown));
            addRules.append("echo '").append(gateway.getHostAddress()).append(' ').append(lifeline.port())
                    .append("' > /tmp/faultline-armed\n");
            if (resetExisting) {
                // after the rule, so that reconnects already go through the proxy; ss shows sockets by
                // the address the application used, so the filter names the real destination
                addRules.append("set +e\nopen=0; left=0\n");
                for (Destination d : destinations) {
                    String filter = "dst " + d.ip() + " dport = :" + destinationPort;
                    addRules.append("open=$((open + $(ss -Htn ").append(filter).append(" | wc -l)))\n")
                            .append("ss -K -Htn ").append(filter).append(" >/dev/null 2>&1\n")
                            .append("left=$((left + $(ss -Htn ").append(filter).append(" | wc -l)))\n");
                }
                addRules.append("echo \"reset $open open, $left left\"\n");
            }
            Lifeline line = lifeline;
            revert = () -> revertProxy(helper, tag, watched, line);
            Instant at = Instant.now();
            ExecResult armed = helper.exec(List.of("bash", "-c", addRules.toString()), Duration.ofSeconds(20));
            if (!armed.ok()) {
                throw new FaultException("latency " + c.name() + ": helper " + helper.name() + " could not add the DNAT rule (exit "
                        + armed.exitCode() + "): " + armed.stderr().strip() + " " + armed.stdout().strip());
            }
            String reset = armed.stdout().lines().filter(l -> l.startsWith("reset ")).findFirst()
                    .map(l -> "; open connections to the destination aborted with ss -K (" + l.substring(6)
                            + ") so clients reconnect through the delay")
                    .orElse("; only connections opened after injection are delayed (conntrack keeps existing ones on their path)");
            String why = netemDisabled() ? "netem disabled (-D" + NETEM_PROPERTY + "=false)" : "no netem in this kernel";
            String mechanism = why + ": TCP proxy in the JVM on the gateway " + gateway.getHostAddress()
                    + " adding " + describeDelay() + " to responses, and an iptables nat OUTPUT DNAT rule (comment " + tag
                    + ") in " + c.name() + "'s network namespace from helper " + helper.name() + " (" + String.join(", ", rules)
                    + ")" + reset + "; the helper removes the rule when the JVM/proxy is gone or after " + duration.toSeconds() + " s";
            return SimpleInjection.reverting(mechanism, List.of(c.name()), at, revert);
        } catch (RuntimeException e) {
            if (revert != null) {
                try {
                    revert.run();
                } catch (RuntimeException r) {
                    e.addSuppressed(r);
                }
            } else {
                if (lifeline != null) {
                    lifeline.close();
                }
                proxies.forEach(ToxicProxy::close);
                helper.remove();
            }
            throw e;
        }
    }

    private String describeDelay() {
        return latency.toMillis() + " ms" + (jitter.isZero() ? "" : " ± " + jitter.toMillis() + " ms");
    }

    /** Order matters: the rule goes first (while the proxy still forwards), the proxy last. */
    private static void revertProxy(Helper helper, String tag, List<ToxicProxy> proxies, Lifeline lifeline) {
        RuntimeException failure = null;
        try {
            ExecResult r = helper.exec(List.of("bash", "-c", deleteRulesScript(), "revert", tag), Duration.ofSeconds(20));
            if (!r.ok()) {
                failure = new FaultException("could not delete DNAT rule " + tag + " in helper " + helper.name() + ": "
                        + r.stderr().strip());
            }
        } catch (RuntimeException e) {
            // the helper may have ended at its deadline, having deleted the rule itself
            failure = helperGone(helper) ? null : e;
        }
        try {
            helper.remove();
        } catch (RuntimeException e) {
            failure = failure == null ? e : failure;
        }
        lifeline.close();
        proxies.forEach(ToxicProxy::close);
        if (failure != null) {
            throw failure instanceof FaultException f ? f : new FaultException("latency revert: " + failure.getMessage(), failure);
        }
    }

    private static boolean helperGone(Helper helper) {
        try {
            return !helper.engine().inspect(helper.id()).running();
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** The default gateway of the target's network namespace: the host's address on the target's bridge. */
    private static InetAddress gateway(Helper helper, ContainerInfo c) {
        ExecResult r = helper.exec(List.of("sh", "-c", "ip -4 route show default | awk '{print $3; exit}'"), Duration.ofSeconds(10));
        String gw = r.stdout().strip();
        if (!r.ok() || gw.isEmpty()) {
            throw new FaultException("latency " + c.name() + ": nothing done, no default gateway in its network namespace ("
                    + r.stderr().strip() + "); the proxy needs the bridge gateway to listen on");
        }
        try {
            return InetAddress.getByName(gw);
        } catch (UnknownHostException e) {
            throw new FaultException("latency " + c.name() + ": gateway '" + gw + "' is not an address", e);
        }
    }

    /**
     * Deletes every nat OUTPUT rule carrying the comment given as $1; succeeds when there is none.
     * {@code -S} prints the comment in double quotes (it holds colons), so each rule is re-read by
     * the shell with eval; the comment only ever holds [A-Za-z0-9_.:-].
     */
    static String deleteRulesScript() {
        return String.join("\n",
                "iptables -w 5 -t nat -S OUTPUT | grep -F -- \"$1\" | sed 's/^-A /-D /' | while read -r r; do",
                "  eval \"iptables -w 5 -t nat $r\"",
                "done",
                "! iptables -w 5 -t nat -S OUTPUT | grep -qF -- \"$1\"");
    }

    /**
     * The helper's main command, argument $1 the rule comment. Waits to be armed (the JVM writes the
     * lifeline's address after adding the rule), then connects to the lifeline every second; on two
     * failures in a row, on TERM (the deadline) or INT it deletes its rules and ends.
     */
    static String dnatWatchdogScript() {
        return String.join("\n",
                "tag=$1",
                "cleanup() {",
                deleteRulesScript().replace("$1", "$tag"),
                "}",
                "trap 'cleanup; exit 0' TERM INT",
                "while [ ! -s /tmp/faultline-armed ]; do sleep 0.2 & wait $!; done",
                "read -r gw port < /tmp/faultline-armed",
                "fails=0",
                "while true; do",
                "  if timeout 2 bash -c \"exec 3<>/dev/tcp/$gw/$port\" 2>/dev/null; then fails=0; else fails=$((fails+1)); fi",
                "  if [ $fails -ge 2 ]; then echo \"lifeline $gw:$port lost: removing $tag\"; cleanup; exit 0; fi",
                "  sleep 1 & wait $!",
                "done");
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

    private Injection injectNetem(FaultContext context, Helpers helpers, ContainerInfo c, List<Destination> destinations) {
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
            ExecResult set = helper.exec(List.of("bash", "-c", netemSetupScript(destinations.stream().map(Destination::ip).toList(),
                    destinationPort, "netem delay " + delay)), Duration.ofSeconds(20));
            if (!set.ok()) {
                throw new FaultException("latency " + c.name() + ": helper " + helper.name() + " could not set up netem (exit "
                        + set.exitCode() + "): " + set.stderr().strip());
            }
        } catch (RuntimeException e) {
            try {
                revert.run();
            } catch (RuntimeException r) {
                e.addSuppressed(r);
            }
            throw e;
        }
        String mechanism = "tc netem delay " + delay + " on packets to " + destinations.stream().map(Destination::ip).toList()
                + " port " + destinationPort + " (htb class + u32 filter) in " + c.name() + "'s network namespace from helper "
                + helper.name() + "; applies to existing connections too; removed by the helper after "
                + duration.toSeconds() + " s or on revert";
        return SimpleInjection.reverting(mechanism, List.of(c.name()), at, revert);
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
