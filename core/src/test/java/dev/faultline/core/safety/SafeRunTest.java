package dev.faultline.core.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ContainerState;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.EngineInfo;
import static org.assertj.core.groups.Tuple.tuple;

import dev.faultline.core.engine.ExecResult;
import dev.faultline.core.fault.CpuQuotaFault;
import dev.faultline.core.fault.MemoryStressFault;
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
import java.nio.file.Files;
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
    void aGuardedMemoryStressRecordsTheLimitItChangesAndItsRevertClosesIt() throws Exception {
        engine.onExec((id, cmd) -> cmd.equals(List.of("cat", "/proc/1/cgroup"))
                ? new ExecResult(0, "4:memory:/docker/abc\n3:cpu,cpuacct:/docker/abc\n", "") : new ExecResult(0, "", ""));
        try (SafeRun run = SafeRun.start(engine, "r1", SafetyPolicy.defaults(), false)) {
            Injection stress = run.guard(MemoryStressFault.of("web", 32L << 20, Duration.ofSeconds(10)).withTemporaryLimit(96L << 20))
                    .inject(context);
            assertThat(engine.memoryLimit(web.id())).isEqualTo(96L << 20);
            assertThat(open(run)).filteredOn(e -> e.undo().action() == Undo.Action.RESTORE_MEMORY_LIMIT)
                    .extracting(Ledger.Entry::confirmed, Ledger.Entry::fault, e -> e.undo().containerId(), e -> e.undo().quota(),
                            e -> e.undo().describe())
                    .containsExactly(tuple(true, "memory-stress", web.id(), 0L, "restore no memory limit on " + web.name()));
            stress.close();
            assertThat(open(run)).isEmpty();
            assertThat(engine.memoryLimit(web.id())).isZero();
            assertThat(Files.readAllLines(run.ledger().file())).filteredOn(l -> l.contains("\"reverted\""))
                    .anyMatch(l -> l.contains("\"by\":\"revert\"")).noneMatch(l -> l.contains("\"by\":\"settle\""));

            // a target with a limit of its own: read through, nothing changed, nothing recorded for it
            engine.updateMemoryLimit(web.id(), 64L << 20);
            Injection under = run.guard(MemoryStressFault.of("web", 32L << 20, Duration.ofSeconds(10))).inject(context);
            assertThat(open(run)).extracting(e -> e.undo().action()).containsExactly(Undo.Action.REMOVE_HELPER);
            under.close();
            assertThat(engine.memoryLimit(web.id())).isEqualTo(64L << 20);
        }
    }

    @Test
    void aMemoryLimitTheRevertForgotIsPutBackFromTheLedger() {
        engine.updateMemoryLimit(web.id(), 256L << 20);
        try (SafeRun run = SafeRun.start(engine, "r1", SafetyPolicy.defaults(), false)) {
            Fault forgetful = withoutRevert("lower the memory limit twice", e -> {
                e.updateMemoryLimit(web.id(), 64L << 20);
                e.updateMemoryLimit(web.id(), 32L << 20); // the same entry: the first limit is what to restore
            });
            Injection i = run.guard(forgetful).inject(context);
            assertThat(open(run)).extracting(e -> e.undo().describe()).containsExactly("restore memory limit 256 MiB on " + web.name());
            i.close();
            assertThat(engine.memoryLimit(web.id())).isEqualTo(256L << 20);
            assertThat(open(run)).isEmpty();
        }
    }

    @Test
    void whatTheFaultsOwnRevertLeftIsUndoneFromTheLedger() {
        try (SafeRun run = SafeRun.start(engine, "r1", SafetyPolicy.defaults(), false)) {
            run.guard(PauseFault.of("web")).inject(context);
            // a fault whose revert forgets to unpause: the ledger still knows
            Fault forgetful = withoutRevert("pause", e -> e.pause(web.id()));
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
            Fault halfway = withoutRevert("pause, then fail", e -> {
                e.pause(web.id());
                throw new FaultException("failed after pausing");
            });
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
    void theReaperLiftsAMemoryLimitWithTheValueTheEngineWrites() {
        assertThat(Reaper.NO_MEMORY_LIMIT).isEqualTo(dev.faultline.core.engine.docker.DockerEngine.UNLIMITED_MEMORY);
        assertThat(Reaper.script()).contains("restore-memory-limit) m=$quota; w=\"$quota bytes\"; [ \"$m\" -gt 0 ] || { m="
                + Reaper.NO_MEMORY_LIMIT + "; w=none; }");
    }

    @Test
    void reaperScriptIsValidBash() throws Exception {
        for (String script : List.of(Reaper.script(), dev.faultline.core.netfilter.NetfilterSweep.script())) {
            Process p = new ProcessBuilder("bash", "-n", "-c", script).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as(out).isZero();
        }
    }

    /** A fault that makes {@code change} through the engine it is given, and whose revert forgets to undo it. */
    private Fault withoutRevert(String description, java.util.function.Consumer<Engine> change) {
        return new Fault() {
            @Override
            public String describe() {
                return description + " without revert";
            }

            @Override
            public Injection inject(FaultContext c) {
                change.accept(c.engine());
                return SimpleInjection.reverting(description, List.of(web.name()), java.time.Instant.now(), () -> {});
            }
        };
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
