package dev.faultline.core.fault;

import dev.faultline.core.netfilter.NetfilterSweep;
import dev.faultline.core.netfilter.RuleTag;
import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.EngineException;
import dev.faultline.core.engine.ExecResult;
import dev.faultline.core.helper.Helper;
import dev.faultline.core.helper.HelperRequest;
import dev.faultline.core.helper.Helpers;
import dev.faultline.core.proxy.ProxyConfig;
import dev.faultline.core.proxy.ToxicProxy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Sends a target's TCP connections to a destination service's port through a {@link ToxicProxy} in
 * this JVM, so that the proxy's toxics (latency, reset, timeout, slow close) act on them: one proxy
 * per destination container, listening on the gateway of the target's network (the host's address on
 * its bridge), and an iptables {@code nat OUTPUT} DNAT rule per destination in the target's network
 * namespace (commented {@code faultline:<run id>:<kind>-<hex>}), set by a helper with NET_ADMIN. Where the
 * engine says the target reaches this JVM elsewhere ({@link dev.faultline.core.engine.Engine#jvmAddressFor}:
 * a swarm task, whose node is a container on this machine), the proxy and the lifeline listen there, and a
 * {@code nat POSTROUTING} MASQUERADE rule with the same comment gives the routed connections the source
 * address of the interface they leave by (else they keep the one chosen for the destination's network).
 *
 * <p>The helper connects to a {@link Lifeline} in this JVM every second and deletes its rules when
 * the JVM or a proxy is gone (a DNAT rule to nothing black-holes the traffic), at its deadline, or on
 * revert. Conntrack keeps existing connections on their path, so by default ({@code resetExisting}) the
 * target's established connections to the destination are aborted ({@code ss -K}, kernel socket destroy
 * in its namespace) right after the rule is in place, and clients reconnect through the proxy; without it
 * only connections opened after the rule are routed. The {@link Effect} counts the connections and bytes
 * that went through the proxies and the connections reset.
 * Shared by {@link NetworkLatencyFault} and {@link ToxicFault}.
 */
final class ProxyRoute {

    private ProxyRoute() {}

    /**
     * What one route does.
     *
     * @param kind     the fault kind: helper label and rule comment
     * @param toxics   adds the toxics to each proxy, given the rule's tag (use it as the toxic's name)
     * @param effect   what the proxy does, for the mechanism: "adding 200 ms to responses"
     * @param affected what happens to routed connections, for the mechanism: "delayed"
     * @param prefix   put first in the mechanism (why the proxy route was chosen), or empty
     * @param needsData true when the toxic acts on data (latency): a connection that carried none was not affected
     */
    record Route(String kind, List<Peer> destinations, int port, Duration duration, boolean resetExisting,
                 BiConsumer<String, ToxicProxy> toxics, String effect, String affected, String prefix, boolean needsData) {
        Route {
            destinations = List.copyOf(destinations);
        }
    }

    static Injection inject(FaultContext context, Helpers helpers, ContainerInfo c, Route route) {
        String tag = RuleTag.next(context.runId(), route.kind());
        InetAddress jvm = jvmAddress(context, c, route.kind());
        HelperRequest request = HelperRequest.of(context.runId(), route.kind(), c, route.duration(),
                        List.of("bash", "-c", dnatWatchdogScript(), route.kind(), tag, NetfilterSweep.script(), c.name()))
                .withNetworkMode("container:" + c.id())
                .withCapAdd("NET_ADMIN");
        Helper helper = helpers.start(request);
        List<ToxicProxy> proxies = new ArrayList<>();
        Lifeline lifeline = null;
        Runnable revert = null;
        try {
            InetAddress gateway = jvm != null ? jvm : gateway(helper, c, route.kind());
            List<String> rules = new ArrayList<>();
            StringBuilder addRules = new StringBuilder("set -e\n");
            for (Peer d : route.destinations()) {
                ToxicProxy proxy = ToxicProxy.start(ProxyConfig.custom()
                        .name(route.kind() + "-" + c.name() + "-" + d.name())
                        .listen(gateway, 0)
                        .upstream(d.ip(), route.port())
                        .build());
                proxies.add(proxy);
                route.toxics().accept(tag, proxy);
                String rule = "OUTPUT -p tcp -d " + d.ip() + " --dport " + route.port() + " -m comment --comment " + tag
                        + " -j DNAT --to-destination " + gateway.getHostAddress() + ":" + proxy.port();
                rules.add(d.ip() + ":" + route.port() + " -> " + gateway.getHostAddress() + ":" + proxy.port());
                if (jvm != null) {
                    // first: a connection whose first packet met the DNAT rule alone would keep the source address
                    // chosen for the destination's network, to which nothing on the way back routes
                    addRules.append("iptables -w 5 -t nat -I POSTROUTING -p tcp -d ").append(gateway.getHostAddress())
                            .append(" --dport ").append(proxy.port()).append(" -m comment --comment ").append(tag)
                            .append(" -j MASQUERADE\n");
                }
                addRules.append("iptables -w 5 -t nat -I ").append(rule).append('\n');
            }
            List<ToxicProxy> watched = List.copyOf(proxies);
            lifeline = new Lifeline(gateway, () -> watched.stream().noneMatch(ToxicProxy::isDown));
            addRules.append("echo '").append(gateway.getHostAddress()).append(' ').append(lifeline.port())
                    .append("' > /tmp/faultline-armed\n");
            // after the rule, so that reconnects already go through the proxy; ss shows sockets by the
            // address the application used, so the filter names the real destination
            addRules.append("set +e\nopen=0; left=0\n");
            for (Peer d : route.destinations()) {
                String filter = "state established dst " + d.ip() + " dport = :" + route.port();
                addRules.append("open=$((open + $(ss -Htn ").append(filter).append(" | wc -l)))\n");
                if (route.resetExisting()) {
                    addRules.append("ss -K -Htn ").append(filter).append(" >/dev/null 2>&1\n");
                }
                addRules.append("left=$((left + $(ss -Htn ").append(filter).append(" | wc -l)))\n");
            }
            addRules.append("echo \"established $open $left\"\n");
            Lifeline line = lifeline;
            revert = () -> revert(route.kind(), helper, tag, c.name(), watched, line);
            Instant at = Instant.now();
            ExecResult armed = helper.exec(List.of("bash", "-c", addRules.toString()), Duration.ofSeconds(20));
            if (!armed.ok()) {
                throw new FaultException(route.kind() + " " + c.name() + ": helper " + helper.name() + " could not add the DNAT rule (exit "
                        + armed.exitCode() + "): " + armed.stderr().strip() + " " + armed.stdout().strip());
            }
            Instant armedAt = Instant.now();
            Established established = Established.parse(armed.stdout(), route.resetExisting(), Duration.between(at, armedAt));
            String reset = route.resetExisting()
                    ? "; " + established.describe(c.name(), route.port()) + " so clients reconnect through the proxy"
                    : "; only connections opened after injection are " + route.affected()
                            + " (conntrack keeps existing ones on their path: " + established.describe(c.name(), route.port()) + ")";
            String where = jvm == null ? "the gateway " + gateway.getHostAddress()
                    : gateway.getHostAddress() + " (where " + c.name() + "'s node reaches this JVM)";
            String mechanism = route.prefix() + "TCP proxy in the JVM on " + where
                    + " " + route.effect() + ", and an iptables nat OUTPUT DNAT rule" + (jvm == null ? "" : " with a nat POSTROUTING"
                    + " MASQUERADE rule (so that replies come back to the address of the interface the proxy is reached by)")
                    + " (comment " + tag
                    + ") in " + c.name() + "'s network namespace from helper " + helper.name() + " (" + String.join(", ", rules)
                    + ")" + reset + "; the helper removes the rule when the JVM/proxy is gone or after "
                    + route.duration().toSeconds() + " s";
            String destination = route.destinations().stream().map(Peer::name).distinct().reduce((a, b) -> a + ", " + b)
                    .orElse("?") + ":" + route.port();
            return SimpleInjection.reverting(mechanism, List.of(c.name()), at, revert)
                    .measuredBy(() -> effect(route, c.name(), destination, watched, established));
        } catch (RuntimeException e) {
            if (revert != null) {
                SimpleInjection.undoing(e, revert);
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

    /**
     * The target's established connections to the destination at injection, as {@code ss} counted them
     * in its network namespace: {@code open} before any reset, {@code left} after it.
     *
     * @param after how long after the rule went in the reset was done
     */
    record Established(int open, int left, boolean reset, Duration after) {

        static Established parse(String stdout, boolean reset, Duration after) {
            return stdout.lines().filter(l -> l.startsWith("established ")).findFirst().map(l -> l.split("\\s+"))
                    .filter(p -> p.length == 3)
                    .map(p -> new Established(Integer.parseInt(p[1]), Integer.parseInt(p[2]), reset, after))
                    .orElse(new Established(0, 0, reset, after));
        }

        int resetCount() {
            return reset ? Math.max(0, open - left) : 0;
        }

        String describe(String target, int port) {
            if (!reset) {
                return open + " established connection(s) of " + target + " to the destination left as they were";
            }
            return open + " established connection(s) of " + target + " to the destination found, " + resetCount()
                    + " reset (ss -K) within " + after.toMillis() + " ms of injection" + (left > 0 ? ", " + left + " still open" : "");
        }
    }

    /** Connections and bytes that went through the proxies; none is the fault reaching no traffic, with the likely cause. */
    static Effect effect(Route route, String target, String destination, List<ToxicProxy> proxies, Established established) {
        long connections = 0;
        long up = 0;
        long down = 0;
        for (ToxicProxy p : proxies) {
            var s = p.stats();
            connections += s.accepted();
            up += s.bytesUpstream();
            down += s.bytesDownstream();
        }
        List<Effect.Counter> counters = List.of(Effect.count("connections through the proxy", connections, ""),
                Effect.count("bytes to the destination", up, "B"), Effect.count("bytes back", down, "B"),
                Effect.count("established at injection", established.open(), ""),
                Effect.count("reset at injection", established.resetCount(), ""));
        boolean bit = connections > 0 && (!route.needsData() || down > 0);
        String summary = route.kind() + " " + target + "\u2192" + destination + ": " + connections + " connection(s) went through it ("
                + up + " bytes sent, " + down + " bytes back)" + (established.resetCount() > 0
                        ? "; " + established.resetCount() + " established connection(s) reset at injection" : "");
        String cause;
        if (connections > 0) {
            cause = "no data went through its " + connections + " connection(s), so nothing was " + route.affected();
        } else if (!established.reset() && established.open() > 0) {
            cause = target + "'s " + established.open() + " connection(s) to " + destination + " were opened before the fault and"
                    + " kept their direct path (onlyNewConnections), and it opened no new one";
        } else if (established.resetCount() > 0) {
            cause = established.resetCount() + " connection(s) of " + target + " to " + destination + " were reset at injection,"
                    + " but it opened no new one during the fault";
        } else {
            cause = target + " opened no connection to " + destination + " during the fault and had none open at injection:"
                    + " nothing there uses this destination";
        }
        return Effect.of(bit, summary, cause, counters);
    }

    /** Order matters: the rule goes first (while the proxy still forwards), the proxy last. */
    private static void revert(String kind, Helper helper, String tag, String target, List<ToxicProxy> proxies, Lifeline lifeline) {
        RuntimeException failure = null;
        try {
            ExecResult r = helper.exec(List.of("bash", "-c", NetfilterSweep.script(), "revert", tag, "", target), Duration.ofSeconds(20));
            if (!r.ok()) {
                failure = new FaultException("could not delete DNAT rule " + tag + " in helper " + helper.name() + ": "
                        + (r.stderr().strip() + " " + r.stdout().strip()).strip());
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
            throw failure instanceof FaultException f ? f : new FaultException(kind + " revert: " + failure.getMessage(), failure);
        }
    }

    private static boolean helperGone(Helper helper) {
        try {
            return !helper.engine().inspect(helper.id()).running();
        } catch (RuntimeException e) {
            return true;
        }
    }

    /**
     * Where the target reaches this JVM when that is not its default gateway (a swarm task on a node), or
     * {@code null}; refused before anything is done when the engine says the target cannot reach this JVM.
     */
    private static InetAddress jvmAddress(FaultContext context, ContainerInfo c, String kind) {
        try {
            return context.engine().jvmAddressFor(c.id()).orElse(null);
        } catch (EngineException e) {
            throw new FaultException(kind + " " + c.name() + ": nothing done, the proxy in this JVM would be out of its reach: "
                    + e.getMessage(), e);
        }
    }

    /** The default gateway of the target's network namespace: the host's address on the target's bridge. */
    private static InetAddress gateway(Helper helper, ContainerInfo c, String kind) {
        ExecResult r = helper.exec(List.of("sh", "-c", "ip -4 route show default | awk '{print $3; exit}'"), Duration.ofSeconds(10));
        String gw = r.stdout().strip();
        if (!r.ok() || gw.isEmpty()) {
            throw new FaultException(kind + " " + c.name() + ": nothing done, no default gateway in its network namespace ("
                    + r.stderr().strip() + "); the proxy needs the bridge gateway to listen on");
        }
        try {
            return InetAddress.getByName(gw);
        } catch (UnknownHostException e) {
            throw new FaultException(kind + " " + c.name() + ": gateway '" + gw + "' is not an address", e);
        }
    }

    /**
     * The helper's main command: $1 the rule comment, $2 {@link NetfilterSweep#script()}, $3 the
     * target's name. Waits to be armed (the JVM writes the
     * lifeline's address after adding the rule), then connects to the lifeline every second; on two
     * failures in a row, on TERM (the deadline) or INT it deletes its rules and ends.
     */
    static String dnatWatchdogScript() {
        return String.join("\n",
                "tag=$1; sweep=$2; name=$3",
                "cleanup() { bash -c \"$sweep\" sweep \"$tag\" \"\" \"$name\"; }",
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
}
