package dev.faultline.core.fault;

import dev.faultline.core.engine.ContainerInfo;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Limits what a target can send: a {@code tc tbf} (token bucket) root qdisc on each of its network
 * interfaces but loopback, at {@code bitsPerSecond}. Everything the target sends is shaped (responses
 * it serves, requests and uploads it makes); what it receives is not. The bucket holds 10 ms of
 * traffic (at least 10 full-size frames) and packets wait at most 50 ms in its queue before being
 * dropped, so TCP settles at the rate. A helper in the target's network namespace holds the qdisc
 * and deletes it at {@code duration} even if the JVM died; revert deletes it earlier.
 */
public record BandwidthFault(Targeting targeting, long bitsPerSecond, Duration duration) implements PerContainerFaultSupport {

    public static final long MIN_RATE = 8_000;
    public static final long MAX_RATE = 10_000_000_000L;
    public static final Duration MAX_DURATION = Duration.ofHours(24);
    public static final Duration DEFAULT_DURATION = Duration.ofMinutes(10);

    public BandwidthFault {
        Objects.requireNonNull(targeting, "targeting");
        if (bitsPerSecond < MIN_RATE || bitsPerSecond > MAX_RATE) {
            throw new IllegalArgumentException("bitsPerSecond must be in [" + MIN_RATE + ", " + MAX_RATE + "], got " + bitsPerSecond);
        }
        Checks.positive("duration", duration, MAX_DURATION);
    }

    /** {@code service} sends at most {@code bitsPerSecond}, for at most 10 minutes. */
    public static BandwidthFault of(String service, long bitsPerSecond) {
        return new BandwidthFault(Targeting.all(service), bitsPerSecond, DEFAULT_DURATION);
    }

    public BandwidthFault lasting(Duration d) {
        return new BandwidthFault(targeting, bitsPerSecond, d);
    }

    public BandwidthFault index(int index) {
        return new BandwidthFault(targeting.index(index), bitsPerSecond, duration);
    }

    public BandwidthFault limit(int max) {
        return new BandwidthFault(targeting.limit(max), bitsPerSecond, duration);
    }

    @Override
    public String kind() {
        return "bandwidth";
    }

    @Override
    public String describe() {
        return "egress of " + targeting + " limited to " + rate() + " for at most " + duration.toSeconds() + " s";
    }

    private String rate() {
        return bitsPerSecond % 1_000_000 == 0 ? bitsPerSecond / 1_000_000 + " Mbit/s"
                : bitsPerSecond % 1000 == 0 ? bitsPerSecond / 1000 + " kbit/s" : bitsPerSecond + " bit/s";
    }

    /** Bytes the bucket holds: 10 ms at the rate, at least ten 1514-byte frames. */
    long burstBytes() {
        return Math.max(bitsPerSecond / 8 / 100, 15_140);
    }

    /** Adds the qdisc on every interface but lo, recording them for {@link #cleanupScript()}. */
    String setupScript() {
        return String.join("\n",
                "set -e",
                "devs=$(ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -vx lo)",
                "[ -n \"$devs\" ] || { echo 'no interface but lo' >&2; exit 3; }",
                "echo $devs > /tmp/faultline-devs",
                "for d in $devs; do tc qdisc replace dev \"$d\" root tbf rate " + bitsPerSecond + "bit burst " + burstBytes()
                        + " latency 50ms; done",
                "echo $devs");
    }

    /** Deletes the qdiscs again; succeeds when they are already gone. */
    static String cleanupScript() {
        return "for d in $(cat /tmp/faultline-devs 2>/dev/null); do tc qdisc del dev \"$d\" root 2>/dev/null; done; true";
    }

    @Override
    public Injection injectOne(FaultContext context, ContainerInfo c) {
        return NamespaceChange.hold(context, kind(), c, duration, setupScript(), cleanupScript(),
                "tc tbf rate " + bitsPerSecond + "bit burst " + burstBytes() + " latency 50ms as the root qdisc of every interface but lo in "
                        + c.name() + "'s network namespace (its egress; ingress untouched)", measure(c.name()));
    }

    /** The tbf qdiscs' own counters: bytes sent, packets dropped, and overlimits (packets the bucket held back). */
    NamespaceChange.Measure measure(String target) {
        return new NamespaceChange.Measure("for d in $(cat /tmp/faultline-devs 2>/dev/null); do echo \"effect $(tc -s qdisc show dev \"$d\""
                + " root | tr '\\n' ' ')\"; done", lines -> effect(target, String.join("\n", lines)));
    }

    /** bit when the bucket held a packet back or dropped one: traffic under the rate never meets the limit. */
    Effect effect(String target, String tcStats) {
        long[] sent = NamespaceChange.sent(tcStats);
        long dropped = sum(tcStats, "dropped (\\d+)");
        long overlimits = sum(tcStats, "overlimits (\\d+)");
        return Effect.of(overlimits > 0 || dropped > 0, "bandwidth " + target + ": " + sent[0] + " bytes sent through the "
                        + rate() + " limit, " + overlimits + " time(s) over it, " + dropped + " packet(s) dropped",
                target + " sent " + sent[0] + " bytes during the fault, never faster than " + rate()
                        + ": the limit never held a packet back",
                List.of(Effect.count("bytes sent", sent[0], "B"), Effect.count("overlimits", overlimits, ""),
                        Effect.count("packets dropped", dropped, "")));
    }

    private static long sum(String text, String regex) {
        long total = 0;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(text);
        while (m.find()) {
            total += Long.parseLong(m.group(1));
        }
        return total;
    }
}
