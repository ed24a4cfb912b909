package dev.faultline.core.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ContainerState;
import dev.faultline.core.helper.Helpers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The container faults against the real engine. */
class ContainerFaultsIT {

    final ItStack stack = new ItStack("c");

    @AfterEach
    void cleanUp() {
        stack.close();
    }

    ContainerInfo now(ContainerInfo c) {
        return stack.engine.inspect(c.id());
    }

    @Test
    void crashIsRestartedByTheRestartPolicy() {
        ContainerInfo web = stack.service("web", "unless-stopped", ItStack.BASE, "sleep", "infinity");
        int pid = web.hostPid();

        Injection injection = CrashFault.of("web").inject(stack.context);

        assertThat(injection.mechanism()).startsWith("SIGKILL to host PID " + pid + " (PID 1 of " + web.name() + ")")
                .contains("in the host PID namespace").contains("restart policy 'unless-stopped' (it restarts)");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ContainerInfo after = now(web);
            assertThat(after.restartCount()).isGreaterThan(web.restartCount());
            assertThat(after.state()).isEqualTo(ContainerState.RUNNING);
            assertThat(after.hostPid()).isNotEqualTo(pid);
        });
        injection.close(); // one-shot: nothing to undo
        assertThat(stack.engine.containers(Map.of(Helpers.RUN_ID, stack.runId), true)).isEmpty();
    }

    @Test
    void crashThroughTheHelperWhenTheDirectPathIsOff() {
        ContainerInfo web = stack.service("web", "unless-stopped", ItStack.BASE, "sleep", "infinity");
        int pid = web.hostPid();
        System.setProperty(CrashFault.DIRECT_PROPERTY, "false");
        Injection injection;
        try {
            injection = CrashFault.of("web").inject(stack.context);
        } finally {
            System.clearProperty(CrashFault.DIRECT_PROPERTY);
        }

        assertThat(injection.mechanism()).startsWith("SIGKILL to host PID " + pid).contains("from helper");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ContainerInfo after = now(web);
            assertThat(after.restartCount()).isGreaterThan(web.restartCount());
            assertThat(after.state()).isEqualTo(ContainerState.RUNNING);
        });
        assertThat(stack.engine.containers(Map.of(Helpers.RUN_ID, stack.runId), true)).isEmpty();
    }

    @Test
    void crashWithoutAPolicyLeavesItExitedWith137() {
        ContainerInfo web = stack.service("web", "no", ItStack.BASE, "sleep", "infinity");
        CrashFault.of("web").inject(stack.context);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ContainerInfo after = now(web);
            assertThat(after.state()).isEqualTo(ContainerState.EXITED);
            assertThat(after.exitCode()).isEqualTo(137);
            assertThat(after.restartCount()).isZero();
        });
        assertThatThrownBy(() -> CrashFault.of("web").inject(stack.context)).isInstanceOf(FaultException.class)
                .hasMessage("crash web: nothing done, not running: " + web.name() + " is exited");
    }

    @Test
    void signalReachesOneProcessByNameButNotPid1WithKill() {
        // PID 1 is bash; it starts two sleepers we can tell apart by their arguments
        ContainerInfo web = stack.service("web", "no", ItStack.BASE, "bash", "-c",
                "sleep 1001 & sleep 1002 & wait; sleep infinity");

        Injection injection = SignalFault.of("web", Signal.TERM, "^sleep 100[12]").inject(stack.context);
        assertThat(injection.mechanism()).matches("SIGTERM to PID\\(s\\) \\d+\\(sleep 100[12] \\) in .* sharing its PID namespace");
        // exactly one of the two sleepers is left
        var sleepers = stack.engine.exec(web.id(), List.of("bash", "-c",
                "for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < $f; echo; done | grep -c '^sleep 100[12]'"), Duration.ofSeconds(10));
        assertThat(sleepers.stdout().strip()).isEqualTo("1");

        assertThatThrownBy(() -> SignalFault.of("web", Signal.KILL, "^bash -c sleep").all().inject(stack.context))
                .isInstanceOf(FaultException.class)
                .hasMessageContaining("matches PID 1, which ignores SIGKILL sent from inside its PID namespace; use CrashFault");
        // a pattern that matches nothing is a fault that reached nothing (issue #11), not an error: its effect says what runs there
        Effect missed = SignalFault.of("web", Signal.TERM, "no-such-process").inject(stack.context).effect();
        assertThat(missed.none()).as(missed.line()).isTrue();
        assertThat(missed.value("processes signalled")).contains(0L);
        assertThat(missed.cause().orElseThrow()).startsWith("no process in " + web.name() + " matches 'no-such-process';"
                + " what runs there: bash (PID 1), sleep");
        assertThat(now(web).running()).isTrue();
    }

    @Test
    void sparePid1ReachesOnlyTheChildrenThatShareItsCommandLine() {
        // like Gunicorn without setproctitle: master (PID 1) and workers have the same command line
        ContainerInfo web = stack.service("web", "no", ItStack.BASE, "bash", "-c",
                "for i in 1 2; do (sleep infinity; :) & done; wait; sleep infinity");
        Injection injection = SignalFault.of("web", Signal.KILL, "^bash -c for i").all().sparePid1().inject(stack.context);
        // without sparePid1 this would fail (PID 1 ignores KILL from inside); with it, the two forks are hit
        assertThat(injection.mechanism()).matches("SIGKILL to PID\\(s\\) \\d+\\(bash -c for i.*\\) \\d+\\(bash -c for i.*\\) in .*").doesNotContain(" 1(bash");
        var left = stack.engine.exec(web.id(), List.of("bash", "-c",
                "for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < $f; echo; done | grep -c '^bash -c for i'"),
                Duration.ofSeconds(10));
        // both forks are gone, so PID 1's wait returned and it went on to its last command
        assertThat(left.stdout().strip()).isEqualTo("0");
        assertThat(now(web).running()).isTrue();
    }

    @Test
    void pauseStopAndKillThroughTheApi() {
        ContainerInfo db = stack.service("db", "unless-stopped", ItStack.BASE, "sleep", "infinity");

        Injection pause = PauseFault.of("db").inject(stack.context);
        assertThat(now(db).state()).isEqualTo(ContainerState.PAUSED);
        pause.close();
        assertThat(now(db).state()).isEqualTo(ContainerState.RUNNING);

        Injection stop = StopFault.of("db").timeout(Duration.ofSeconds(1)).inject(stack.context);
        assertThat(now(db).state()).isEqualTo(ContainerState.EXITED);
        stop.close();
        assertThat(now(db).state()).isEqualTo(ContainerState.RUNNING);

        KillFault.of("db", Signal.KILL).inject(stack.context);
        // a manual stop: the unless-stopped policy does not bring it back
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(now(db).state()).isEqualTo(ContainerState.EXITED));
    }

    @Test
    void cpuStressIsChargedToTheTargetAndEndsOnRevert() throws Exception {
        ContainerInfo web = stack.service("web", "no", ItStack.BASE, "sleep", "infinity");
        Path usage = Path.of("/sys/fs/cgroup/cpuacct/docker/" + web.id() + "/cpuacct.usage");
        long before = Long.parseLong(Files.readString(usage).strip());

        Injection injection = CpuStressFault.of("web", 1, Duration.ofSeconds(60)).inject(stack.context);
        assertThat(injection.mechanism()).contains("nested under the target's cgroup /docker/" + web.id());
        // a busy core adds ~1e9 ns per second to the target's own counter
        await().atMost(Duration.ofSeconds(20)).until(() -> Long.parseLong(Files.readString(usage).strip()) - before > 1_000_000_000L);
        var ps = stack.engine.exec(web.id(), List.of("bash", "-c", "cat /proc/[0-9]*/comm"), Duration.ofSeconds(10));
        assertThat(ps.stdout()).contains("stress-ng"); // visible in the target's PID namespace

        injection.close();
        long afterRevert = Long.parseLong(Files.readString(usage).strip());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() ->
                Long.parseLong(Files.readString(usage).strip()) - afterRevert < 200_000_000L);
    }

    @Test
    void cpuQuotaIsLoweredAndRestored() {
        ContainerInfo web = stack.service("web", "no", ItStack.BASE, "sleep", "infinity");
        Injection injection = CpuQuotaFault.of("web", 0.2).inject(stack.context);
        assertThat(now(web).cpuQuota()).isEqualTo(20_000);
        injection.close();
        assertThat(now(web).cpuQuota()).isZero();
    }
}
