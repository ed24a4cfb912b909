package dev.faultline.core.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ContainerState;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.EngineInfo;
import static org.assertj.core.groups.Tuple.tuple;

import dev.faultline.core.fault.CpuQuotaFault;
import dev.faultline.core.fault.Fault;
import dev.faultline.core.fault.SimpleInjection;
import dev.faultline.core.fault.Targeting;
import java.time.Duration;
import dev.faultline.core.fault.FaultContext;
import dev.faultline.core.fault.FaultException;
import dev.faultline.core.fault.Injection;
import dev.faultline.core.fault.PauseFault;
import dev.faultline.core.fault.StopFault;
import dev.faultline.core.target.Targets;
import dev.faultline.core.testing.FakeEngine;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger hook and the production guard, on the fake engine (no reaper: that needs a real engine). */
class SafeRunTest {

    @TempDir
    Path dir;

    final FakeEngine engine = new FakeEngine();
    final ContainerInfo web = FakeEngine.container("shop", "web", 1);
    final Targets targets = new Targets() {
        @Override
        public String project() {
            return "shop";
        }

        @Override
        public List<String> services() {
            return List.of("db", "web");
        }

        @Override
        public List<ContainerInfo> containers(String service) {
            return engine.containers(Map.of("com.docker.compose.project", "shop", "com.docker.compose.service", service), true);
        }
    };
    final FaultContext context = new FaultContext(engine, targets, "r1");

    @BeforeEach
    void useTempLedgers() {
        System.setProperty(Ledger.DIR_PROPERTY, dir.toString());
        engine.add(web);
    }

    @AfterEach
    void restore() {
        System.clearProperty(Ledger.DIR_PROPERTY);
    }

    List<Ledger.Entry> open(SafeRun run) {
        return Ledger.read(run.ledger().file()).open();
    }

    @Test
    void aGuardedFaultRecordsIntentAndConfirmationAndItsRevertClosesThem() {
        try (SafeRun run = SafeRun.start(engine, "r1", SafetyPolicy.defaults(), false)) {
            Injection pause = run.guard(PauseFault.of("web")).inject(context);
            assertThat(open(run)).extracting(e -> e.undo().action(), Ledger.Entry::confirmed, Ledger.Entry::fault,
                    Ledger.Entry::targetName).containsExactly(tuple(Undo.Action.UNPAUSE, true, "pause", web.name()));
            pause.close();
            assertThat(open(run)).isEmpty();
            assertThat(engine.inspect(web.id()).state()).isEqualTo(ContainerState.RUNNING);

            Injection quota = run.guard(CpuQuotaFault.of("web", 0.5)).inject(context);
            assertThat(open(run)).extracting(e -> e.undo().describe()).containsExactly("restore no CPU limit on " + web.name());
            quota.close();
            Injection stop = run.guard(StopFault.of("web").timeout(Duration.ZERO)).inject(context);
            assertThat(open(run)).extracting(e -> e.undo().action()).containsExactly(Undo.Action.START);
            stop.close();
            assertThat(open(run)).isEmpty();
        }
    }

    @Test
    void whatTheFaultsOwnRevertLeftIsUndoneFromTheLedger() {
        try (SafeRun run = SafeRun.start(engine, "r1", SafetyPolicy.defaults(), false)) {
            run.guard(PauseFault.of("web")).inject(context);
            // a fault whose revert forgets to unpause: the ledger still knows
            Fault forgetful = new Fault() {
                @Override
                public String describe() {
                    return "pause without revert";
                }

                @Override
                public Injection inject(FaultContext c) {
                    c.engine().pause(web.id());
                    return SimpleInjection.reverting("pause", List.of(web.name()), java.time.Instant.now(), () -> {});
                }
            };
            engine.unpause(web.id());
            Injection i = run.guard(forgetful).inject(context);
            assertThat(engine.inspect(web.id()).state()).isEqualTo(ContainerState.PAUSED);
            i.close();
            assertThat(engine.inspect(web.id()).state()).isEqualTo(ContainerState.RUNNING);
        }
    }

    @Test
    void aFailedInjectionLeavesNothingOpen() {
        try (SafeRun run = SafeRun.start(engine, "r1", SafetyPolicy.defaults(), false)) {
            Fault halfway = new Fault() {
                @Override
                public String describe() {
                    return "pause, then fail";
                }

                @Override
                public Injection inject(FaultContext c) {
                    c.engine().pause(web.id());
                    throw new FaultException("failed after pausing");
                }
            };
            assertThatThrownBy(() -> run.guard(halfway).inject(context)).hasMessage("failed after pausing");
            assertThat(engine.inspect(web.id()).state()).isEqualTo(ContainerState.RUNNING);
            assertThat(open(run)).isEmpty();
        }
    }

    @Test
    void aProtectedContainerIsRefusedUnlessAllowed() {
        ContainerInfo db = protectedDb();
        engine.add(db);
        try (SafeRun run = SafeRun.start(engine, "r1", SafetyPolicy.defaults(), false)) {
            assertThatThrownBy(() -> run.guard(PauseFault.of("db")).inject(context))
                    .isInstanceOf(SafetyRefusedException.class)
                    .hasMessage("refused to pause container shop_db_1: it is labelled faultline.protect=true; nothing was done."
                            + " If the experiment really means to touch it, say so with allowProtected()"
                            + " (SafetyPolicy.defaults().allowProtected() in core)");
            assertThat(engine.inspect(db.id()).state()).isEqualTo(ContainerState.RUNNING);
            assertThat(engine.calls()).noneMatch(c -> c.startsWith("pause"));
        }
        try (SafeRun run = SafeRun.start(engine, "r1", SafetyPolicy.defaults().allowProtected(), false)) {
            run.guard(PauseFault.of("db")).inject(context).close();
            assertThat(engine.calls()).anyMatch(c -> c.startsWith("pause"));
        }
    }

    @Test
    void aRemoteEngineIsRefusedUnlessAllowed() {
        EngineInfo remote = new EngineInfo("24.0", "1.43", "tcp://prod.example:2376", "linux", "6.1", false);
        assertThatThrownBy(() -> SafeRun.refuseRemote(remote, SafetyPolicy.defaults()))
                .isInstanceOf(SafetyRefusedException.class)
                .hasMessage("refused to run faults against the Docker engine at tcp://prod.example:2376: it is not on this machine"
                        + " (it may be production); nothing was done. If the experiment really targets a remote engine, say so"
                        + " with allowRemoteEngine() (SafetyPolicy.defaults().allowRemoteEngine() in core)");
        SafeRun.refuseRemote(remote, SafetyPolicy.defaults().allowRemoteEngine());
    }

    @Test
    void moreContainersThanTheDefaultCapAreRefusedUnlessALimitIsGiven() {
        for (int n = 2; n <= Targeting.DEFAULT_LIMIT + 1; n++) {
            engine.add(FakeEngine.container("shop", "web", n));
        }
        assertThatThrownBy(() -> PauseFault.of("web").inject(context)).isInstanceOf(FaultException.class)
                .hasMessage("pause web: refused, nothing done: service 'web' has 11 containers, more than the default cap of 10"
                        + " containers per fault; to touch them, say how many at most with limit(n) (n in [1, 1000]), e.g. limit(11)");
        assertThat(engine.calls()).noneMatch(c -> c.startsWith("pause"));
        PauseFault.of("web").limit(11).inject(context).close();
        assertThat(engine.calls().stream().filter(c -> c.startsWith("pause"))).hasSize(11);
    }

    @Test
    void kindsAreReadable() {
        assertThat(SafeRun.kindOf(CpuQuotaFault.of("web", 1))).isEqualTo("cpu-quota");
        assertThat(SafeRun.kindOf(PauseFault.of("web"))).isEqualTo("pause");
    }

    @Test
    void reaperScriptIsValidBash() throws Exception {
        for (String script : List.of(Reaper.script(), dev.faultline.core.netfilter.NetfilterSweep.script())) {
            Process p = new ProcessBuilder("bash", "-n", "-c", script).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as(out).isZero();
        }
    }

    private ContainerInfo protectedDb() {
        ContainerInfo d = FakeEngine.container("shop", "db", 1);
        Map<String, String> labels = new HashMap<>(d.labels());
        labels.put(SafetyPolicy.PROTECT_LABEL, "true");
        return new ContainerInfo(d.id(), d.name(), d.project(), d.service(), d.number(), d.image(), d.state(), d.health(),
                d.exitCode(), d.oomKilled(), d.restartPolicy(), d.restartCount(), d.ports(), d.hostPid(), d.startedAt(),
                d.finishedAt(), labels, d.ipAddresses(), d.cpuQuota(), d.cpuPeriod());
    }
}
