package dev.faultline.core.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.core.proxy.ProxyConfig;
import dev.faultline.core.proxy.ToxicProxy;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EffectTest {

    @Test
    void aLineSaysWhatBitOrWhyNothingDid() {
        Effect bit = Effect.bit("12 connections went through it", List.of(Effect.count("connections", 12, "")));
        assertThat(bit.line()).isEqualTo("12 connections went through it");
        Effect none = Effect.none("0 connections went through it", "nothing uses db:5433", List.of(Effect.count("connections", 0, "")));
        assertThat(none.line()).isEqualTo("NO EFFECT: 0 connections went through it; likely cause: nothing uses db:5433");
        assertThat(Effect.notMeasured("helper gone").line()).isEqualTo("effect not measured: helper gone");
        assertThat(none.value("connections")).contains(0L);
        assertThatThrownBy(() -> Effect.none("x", " ", List.of())).hasMessage("cause must be non-blank, got ' '");
    }

    @Test
    void aFaultOnSeveralContainersBitWhenAnyPartBit() {
        Effect a = Effect.bit("a dropped 4 packets", List.of(Effect.count("packets dropped", 4, "")));
        Effect b = Effect.none("b dropped 0 packets", "b sent nothing", List.of(Effect.count("packets dropped", 0, "")));
        assertThat(Effect.combine(List.of(a, b)).bit()).isTrue();
        assertThat(Effect.combine(List.of(b, b)).none()).isTrue();
        assertThat(Effect.combine(List.of(b, b)).cause()).contains("b sent nothing");
        assertThat(Effect.combine(List.of(b, Effect.notMeasured("gone"))).status()).isEqualTo(Effect.Status.NOT_MEASURED);
    }

    @Test
    void anInjectionKeepsTheEffectItReadJustBeforeItsRevert() {
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger packets = new AtomicInteger(3);
        SimpleInjection injection = SimpleInjection.reverting("m", List.of("web-1"), Instant.now(), () -> packets.set(0))
                .measuredBy(() -> {
                    reads.incrementAndGet();
                    return Effect.of(packets.get() > 0, packets.get() + " packets", "none", List.of());
                });
        assertThat(injection.effect().summary()).isEqualTo("3 packets");
        injection.close();
        assertThat(injection.effect().summary()).isEqualTo("3 packets");
        assertThat(injection.effect().bit()).isTrue();
        assertThat(reads).hasValue(2);
    }

    @Test
    void aMeasurementThatFailsIsNotMeasuredAndNeverFailsTheRevert() {
        SimpleInjection injection = SimpleInjection.oneShot("m", List.of(), Instant.now()).measuredBy(() -> {
            throw new IllegalStateException("no engine");
        });
        injection.close();
        assertThat(injection.effect().line()).isEqualTo("effect not measured: the measurement failed: no engine");
    }

    @Test
    void netfilterCountersAreSummedOverTheRulesOfTheTag() {
        NamespaceChange.Measure counters = new NamespaceChange.Measure("", lines -> Effect.bit(String.join("|", lines), List.of()));
        assertThat(counters.read("noise\neffect 3 180\neffect 0 0\n").summary()).isEqualTo("3 180|0 0");
        assertThat(NamespaceChange.ruleCountersScript("faultline:r1:loss-0a0b"))
                .contains("iptables-save -c -t $t").contains("grep -F -- 'faultline:r1:loss-0a0b'");
        assertThat(NamespaceChange.sent(" Sent 1200 bytes 10 pkt (dropped 0, overlimits 0)\n Sent 300 bytes 2 pkt"))
                .containsExactly(1500, 12);
    }

    @Test
    void aBandwidthLimitThatNeverHeldAPacketBackHadNoEffect() {
        BandwidthFault fault = BandwidthFault.of("web", 1_000_000);
        Effect idle = fault.effect("web-1", "qdisc tbf 8001: root refcnt 2 rate 1Mbit burst 15140b lat 50ms  Sent 4200 bytes 30 pkt"
                + " (dropped 0, overlimits 0 requeues 0)");
        assertThat(idle.none()).isTrue();
        assertThat(idle.line()).contains("web-1 sent 4200 bytes during the fault, never faster than 1 Mbit/s");
        Effect shaped = fault.effect("web-1", "Sent 9000000 bytes 6000 pkt (dropped 12, overlimits 840 requeues 0)");
        assertThat(shaped.bit()).isTrue();
        assertThat(shaped.value("overlimits")).contains(840L);
    }

    @Test
    void establishedConnectionsAreParsedFromTheHelpersLine() {
        ProxyRoute.Established e = ProxyRoute.Established.parse("x\nestablished 2 0\n", true, Duration.ofMillis(40));
        assertThat(e.resetCount()).isEqualTo(2);
        assertThat(e.describe("web-1", 5432)).isEqualTo("2 established connection(s) of web-1 to the destination found, 2 reset (ss -K)"
                + " within 40 ms of injection");
        assertThat(ProxyRoute.Established.parse("", false, Duration.ZERO).open()).isZero();
    }

    /** A real proxy: counts what went through it, and names the likely cause when nothing did. */
    @Test
    void aProxyRouteCountsConnectionsAndSaysWhyNoneCame() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocket echo = new ServerSocket(0, 5, lo);
             ToxicProxy proxy = ToxicProxy.start(ProxyConfig.custom().name("t").listen(lo, 0).upstream(lo.getHostAddress(), echo.getLocalPort()).build())) {
            Thread server = new Thread(() -> {
                try (Socket s = echo.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    out.write(in.read());
                    out.flush();
                } catch (Exception ignored) {
                    // the test's client decides
                }
            });
            server.start();
            ProxyRoute.Route route = new ProxyRoute.Route("latency", List.of(), 5432, Duration.ofSeconds(10), false, (t, p) -> {},
                    "", "delayed", "", true);
            ProxyRoute.Established before = new ProxyRoute.Established(2, 2, false, Duration.ZERO);
            Effect missed = ProxyRoute.effect(route, "web-1", "db-1:5432", List.of(proxy), before);
            assertThat(missed.line()).isEqualTo("NO EFFECT: latency web-1\u2192db-1:5432: 0 connection(s) went through it (0 bytes sent,"
                    + " 0 bytes back); likely cause: web-1's 2 connection(s) to db-1:5432 were opened before the fault and kept their"
                    + " direct path (onlyNewConnections), and it opened no new one");
            ProxyRoute.Established none = new ProxyRoute.Established(0, 0, true, Duration.ZERO);
            assertThat(ProxyRoute.effect(route, "web-1", "db-1:5433", List.of(proxy), none).cause()).contains(
                    "web-1 opened no connection to db-1:5433 during the fault and had none open at injection: nothing there uses this destination");
            try (Socket client = new Socket(lo, proxy.port())) {
                client.getOutputStream().write('x');
                assertThat(client.getInputStream().read()).isEqualTo('x');
            }
            server.join(5000);
            // the pump counts a byte once its write returned, which may be just after the client read it
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> proxy.stats().bytesDownstream() == 1);
            Effect bit = ProxyRoute.effect(route, "web-1", "db-1:5432", List.of(proxy), new ProxyRoute.Established(2, 0, true, Duration.ZERO));
            assertThat(bit.bit()).isTrue();
            assertThat(bit.value("connections through the proxy")).contains(1L);
            assertThat(bit.value("reset at injection")).contains(2L);
            assertThat(bit.summary()).endsWith("; 2 established connection(s) reset at injection");
        }
    }
}
