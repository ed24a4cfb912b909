package dev.faultline.core.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ContainerState;
import dev.faultline.core.engine.ExecResult;
import dev.faultline.core.engine.RestartPolicy;
import dev.faultline.core.testing.FakeEngine;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The faults made of API calls, on the fake engine: what is called, what revert does, what a stopped target does. */
class ApiFaultsTest {

    final FakeEngine engine = new FakeEngine();
    final ContainerInfo web1 = FakeEngine.container("shop", "web", 1);
    final ContainerInfo web2 = FakeEngine.container("shop", "web", 2);
    final ContainerInfo db = FakeEngine.container("shop", "db", 1);
    final FaultContext context = new FaultContext(engine, new FakeTargets(engine, "shop"), "run1");

    ApiFaultsTest() {
        engine.add(web1).add(web2).add(db);
    }

    List<String> actions() {
        // reads (and the effect's cgroup reads through exec) are not actions
        return engine.calls().stream().filter(c -> !c.startsWith("containers") && !c.startsWith("inspect") && !c.startsWith("exec"))
                .toList();
    }

    @Test
    void stopIsRevertedByStartAndSaysDockerWillNotRestartIt() {
        Injection injection = StopFault.of("db").timeout(Duration.ofSeconds(3)).inject(context);
        assertThat(engine.inspect(db.id()).state()).isEqualTo(ContainerState.EXITED);
        assertThat(injection.mechanism()).contains("manual stop that Docker does not restart");
        assertThat(injection.targets()).containsExactly("shop_db_1");
        injection.close();
        injection.close(); // idempotent
        assertThat(actions()).containsExactly("stop " + db.id(), "start " + db.id());
    }

    @Test
    void pauseAppliesToEveryContainerAndUnpausesEach() {
        Injection injection = PauseFault.of("web").inject(context);
        assertThat(injection.targets()).containsExactly("shop_web_1", "shop_web_2");
        injection.close();
        assertThat(actions()).containsExactly("pause " + web1.id(), "pause " + web2.id(), "unpause " + web1.id(),
                "unpause " + web2.id());
    }

    @Test
    void indexAndLimitChooseContainers() {
        RestartFault.of("web").index(1).inject(context);
        KillFault.of("web", Signal.KILL).limit(1).inject(context);
        assertThat(actions()).containsExactly("restart " + web2.id(), "kill " + web1.id() + " KILL");
    }

    @Test
    void killSaysItIsAManualStop() {
        Injection injection = KillFault.of("db", Signal.KILL).inject(context);
        assertThat(injection.mechanism()).isEqualTo(
                "API kill of shop_db_1 with SIGKILL; Docker treats it as a manual stop and does not apply restart policy 'unless-stopped'");
    }

    @Test
    void aStoppedContainerFailsTheFaultBeforeAnythingIsTouched() {
        engine.add(FakeEngine.with(web2, ContainerState.EXITED, web2.health(), web2.restartPolicy(), 0, List.of()));
        assertThatThrownBy(() -> PauseFault.of("web").inject(context))
                .isInstanceOf(FaultException.class)
                .hasMessage("pause web: nothing done, not running: shop_web_2 is exited");
        assertThatThrownBy(() -> CrashFault.of("web").inject(context))
                .hasMessage("crash web: nothing done, not running: shop_web_2 is exited");
        assertThatThrownBy(() -> CpuStressFault.of("web", 1, Duration.ofSeconds(5)).inject(context))
                .hasMessageContaining("not running: shop_web_2 is exited");
        assertThat(actions()).isEmpty();
    }

    @Test
    void unknownServiceAndIndexOutOfRange() {
        assertThatThrownBy(() -> PauseFault.of("cache").inject(context))
                .isInstanceOf(FaultException.class)
                .hasMessage("pause cache: no service 'cache' in project shop; services: [db, web]");
        assertThatThrownBy(() -> PauseFault.of("web").index(2).inject(context))
                .hasMessage("pause web[2]: service 'web' has 2 container(s), index 2 is out of range [0, 1]");
    }

    @Test
    void aFailureOnTheSecondContainerRevertsTheFirst() {
        // a fault whose second container fails: pause web_1, then web_2 is gone when reached
        PerContainerFaultSupport fault = new PerContainerFaultSupport() {
            @Override public Targeting targeting() { return Targeting.all("web"); }
            @Override public String kind() { return "test"; }
            @Override public String describe() { return "test"; }
            @Override public Injection injectOne(FaultContext ctx, ContainerInfo c) {
                if (c.number() == 2) {
                    throw new IllegalStateException("boom");
                }
                return PauseFault.of("web").injectOne(ctx, c);
            }
        };
        assertThatThrownBy(() -> fault.inject(context)).isInstanceOf(FaultException.class)
                .hasMessage("test shop_web_2 failed: boom");
        assertThat(actions()).containsExactly("pause " + web1.id(), "unpause " + web1.id());
    }

    @Test
    void cpuQuotaIsLoweredAndTheOriginalRestored() {
        Injection injection = CpuQuotaFault.of("db", 0.25).inject(context);
        assertThat(engine.inspect(db.id()).cpuQuota()).isEqualTo(25_000);
        assertThat(injection.mechanism()).contains("25000 us per 100000 us (0.25 CPU)").contains("restores no CPU limit");
        injection.close();
        assertThat(actions()).containsExactly("updateCpuQuota " + db.id() + " 25000 100000",
                "updateCpuQuota " + db.id() + " -1 100000");
        assertThat(engine.inspect(db.id()).cpuQuota()).isZero();
    }

    @Test
    void aFaultMeetingAnotherOfTheRunSaysWhichHoldsTheContainer() {
        engine.add(FakeEngine.with(db, ContainerState.PAUSED, db.health(), db.restartPolicy(), 0, List.of()));
        FaultContext run = new FaultContext(engine, context.targets(), "run1",
                name -> name.equals(db.name()) ? java.util.Optional.of("pause db") : java.util.Optional.empty());
        assertThatThrownBy(() -> SignalFault.of("db", Signal.TERM, "postgres").inject(run))
                .hasMessage("signal db: nothing done, not running: shop_db_1 is paused by this run's 'pause db'");
        assertThatThrownBy(() -> NetworkLatencyFault.of("web", "db", 5432, Duration.ofMillis(100)).inject(run))
                .hasMessage("latency shop_web_1 -> db:5432: nothing done, no container of 'db' is running:"
                        + " shop_db_1 is paused by this run's 'pause db'");
    }

    @Test
    void crashRefusesWhenThePidIsGone() {
        ContainerInfo noPid = new ContainerInfo(db.id(), db.name(), db.project(), db.service(), db.number(), db.image(),
                ContainerState.RUNNING, db.health(), 0, false, RestartPolicy.NONE, 0, List.of(), 0, db.startedAt(), null,
                db.labels(), db.ipAddresses(), 0, 0);
        engine.add(noPid);
        assertThatThrownBy(() -> CrashFault.of("db").inject(context))
                .hasMessage("crash shop_db_1: nothing done, it has no main process to kill (it is running, host pid 0)");
        assertThat(actions()).isEmpty();
    }
}
