package dev.faultline.core.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The helper scripts parse ({@code bash -n}), including the netem ones that no test here can run
 * (this kernel has no netem), and say what they must.
 */
class NetworkScriptsTest {

    static String parse(String script) throws Exception {
        Process p = new ProcessBuilder("bash", "-n", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0 ? "ok" : out;
    }

    @Test
    void everyScriptParses() throws Exception {
        assertThat(parse(ProxyRoute.dnatWatchdogScript())).isEqualTo("ok");
        assertThat(parse(NetworkLatencyFault.netemWatchdogScript())).isEqualTo("ok");
        assertThat(parse(NetworkLatencyFault.netemSetupScript(List.of("172.18.0.3", "172.18.0.4"), 5432, "netem delay 100ms 10ms"))).isEqualTo("ok");
        assertThat(parse(SignalFault.script())).isEqualTo("ok");
    }

    @Test
    void netemFiltersOnlyTheDestination() {
        String setup = NetworkLatencyFault.netemSetupScript(List.of("172.18.0.3"), 5432, "netem delay 100ms");
        assertThat(setup).contains("parent 1:4 handle 40: netem delay 100ms")
                .contains("u32 match ip dst 172.18.0.3/32 match ip dport 5432 0xffff flowid 1:4")
                .contains("root handle 1: htb default 1");
    }

    @Test
    void theWatchdogCleansUpOnTermAndWhenTheLifelineIsLost() {
        String watchdog = ProxyRoute.dnatWatchdogScript();
        assertThat(watchdog).contains("trap 'cleanup; exit 0' TERM INT").contains("/dev/tcp/$gw/$port")
                .contains("if [ $fails -ge 2 ]; then");
    }
}
