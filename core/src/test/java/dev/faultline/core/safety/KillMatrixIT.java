package dev.faultline.core.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.testing.DockerCli;
import dev.faultline.core.engine.ContainerState;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.docker.Engines;
import dev.faultline.core.fault.FaultContext;
import dev.faultline.core.fault.Injection;
import dev.faultline.core.helper.HelperImage;
import dev.faultline.core.helper.HelperRequest;
import dev.faultline.core.helper.Helpers;
import dev.faultline.core.target.ComposeStack;
import dev.faultline.core.testing.DemoStack;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every fault kind × every way a run can end: afterwards no helper, reaper, netfilter rule, qdisc,
 * paused or stopped container, CPU quota or memory limit change remains, the ledger has nothing open,
 * and the target answers again. Cells that cannot apply are reported as skipped with the reason.
 *
 * <p>The target is small: the base image with a Perl TCP server on {@value #PORT} (PID 1) and a
 * {@code sleep} worker (for the signal fault), plus a {@code dest} container for latency. The JVM
 * cells run {@link KillMatrixChild} in a real child JVM and signal or kill it. Cells run four at a
 * time on their own targets; two more cells on the real demo stack show its /health/ holding again.
 */
class KillMatrixIT {

    static final int PORT = 8080;
    static final String IMAGE = "faultline/debian:trixie";
    static final String SERVER = "sleep 100000 & exec perl -MIO::Socket::INET -e '$SIG{TERM} = sub { exit 0 }; "
            + "my $s = IO::Socket::INET->new(LocalPort => " + PORT + ", Listen => 64, ReuseAddr => 1) or die $!; "
            + "while (1) { my $c = $s->accept or next; print $c \"ok\\n\"; close $c }'";

    enum Scenario { NORMAL_END, EXCEPTION_IN_BODY, SIGINT, SIGTERM, SIGKILL, HELPER_KILLED, HELPER_KILLED_THEN_SIGKILL, TARGET_RESTARTED }

    record Cell(MatrixFault fault, Scenario scenario) {
        @Override
        public String toString() {
            return fault + " x " + scenario;
        }
    }

    private static final Engine ENGINE = Engines.docker();
    private static final ExecutorService POOL = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "kill-matrix");
        t.setDaemon(true);
        return t;
    });
    private static final Path LEDGERS = Path.of("target", "kill-matrix-ledgers").toAbsolutePath();
    private static final List<String> TIMINGS = new CopyOnWriteArrayList<>();

    @AfterAll
    static void report() {
        TIMINGS.stream().sorted().forEach(System.out::println);
    }

    @TestFactory
    Stream<DynamicTest> matrix() {
        HelperImage.fromSystemProperties().ensure(ENGINE); // once, before cells race to build it
        Map<Cell, CompletableFuture<Void>> running = new LinkedHashMap<>();
        List<DynamicTest> tests = new ArrayList<>();
        // -Dkillmatrix.only=<regex> runs only the matching cells (while working on one)
        java.util.function.Predicate<Cell> chosen = c -> c.toString().matches(System.getProperty("killmatrix.only", ".*"));
        // the demo cells first: the stack takes longest to come up
        for (MatrixFault demo : List.of(MatrixFault.DEMO_PAUSE_DB, MatrixFault.DEMO_LATENCY_DB)) {
            Cell cell = new Cell(demo, Scenario.SIGKILL);
            if (chosen.test(cell)) {
                running.put(cell, CompletableFuture.runAsync(() -> demoCell(demo), POOL));
            }
        }
        for (MatrixFault f : MatrixFault.values()) {
            if (f.name().startsWith("DEMO_")) {
                continue;
            }
            for (Scenario s : Scenario.values()) {
                Cell cell = new Cell(f, s);
                Optional<String> na = notApplicable(cell);
                if (!chosen.test(cell)) {
                    continue;
                }
                if (na.isPresent()) {
                    tests.add(DynamicTest.dynamicTest(cell.toString(), () -> Assumptions.abort("n/a: " + na.get())));
                } else {
                    running.put(cell, CompletableFuture.runAsync(() -> run(cell), POOL));
                }
            }
        }
        running.forEach((cell, future) -> tests.add(DynamicTest.dynamicTest(cell.toString(), () -> {
            try {
                future.get(8, TimeUnit.MINUTES);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause();
            }
        })));
        return tests.stream();
    }

    static Optional<String> notApplicable(Cell c) {
        if ((c.scenario() == Scenario.HELPER_KILLED || c.scenario() == Scenario.HELPER_KILLED_THEN_SIGKILL) && !c.fault().liveHelper) {
            return Optional.of(c.fault().oneShot ? "its helper lives only while it is injected (one-shot)"
                    : "no helper container: the fault is made by API calls alone");
        }
        if (c.scenario() == Scenario.TARGET_RESTARTED && c.fault().oneShot) {
            return Optional.of("one-shot fault: nothing is in effect to restart the target under");
        }
        return Optional.empty();
    }

    // ---- one cell

    static void run(Cell cell) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String project = "fl-safety-km-" + id;
        String runId = "fl-safety-km-" + cell.fault().name().toLowerCase().replace('_', '-') + "-" + id;
        List<String> made = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            ContainerInfo web = container(project, "web", made);
            ContainerInfo dest = cell.fault() == MatrixFault.LATENCY ? container(project, "dest", made) : null;
            await().atMost(Duration.ofSeconds(20)).until(() -> answers(ENGINE.inspect(web.id())));
            Path ledgers = Files.createDirectories(LEDGERS.resolve(id));
            Duration undoneAfter = switch (cell.scenario()) {
                case SIGINT, SIGTERM, SIGKILL, HELPER_KILLED_THEN_SIGKILL -> inChildJvm(cell, ledgers, runId, project, web);
                default -> inProcess(cell, ledgers, runId, project, web);
            };
            verifyRules(ENGINE.inspect(web.id()), runId);
            if (dest != null) {
                // no DNAT rule to a dead proxy left: web reaches dest directly again
                String ip = ENGINE.inspect(dest.id()).ipAddresses().values().iterator().next();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ENGINE.exec(web.id(), List.of("timeout", "3",
                        "bash", "-c", "exec 3<>/dev/tcp/" + ip + "/" + PORT + "; head -1 <&3"), Duration.ofSeconds(10)).stdout().strip())
                        .as("web -> dest").isEqualTo("ok"));
            }
            TIMINGS.add(String.format("%-42s clean %5.1f s after the end (cell %5.1f s)", cell, undoneAfter.toMillis() / 1000.0,
                    (System.nanoTime() - t0) / 1e9));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            cleanUp(runId, made);
        }
    }

    static Duration inProcess(Cell cell, Path ledgers, String runId, String project, ContainerInfo web) {
        FaultContext context = new FaultContext(ENGINE, ComposeStack.named(ENGINE, project), runId);
        long end;
        try (SafeRun run = SafeRun.start(ENGINE, runId, SafetyPolicy.defaults(), ledgers, true)) {
            Runnable experiment = () -> {
                Injection injection = run.guard(cell.fault().fault()).inject(context);
                try {
                    assertThat(run.reaper()).as("reaper of an in-process run").isPresent();
                    body(cell, runId, web);
                } finally {
                    injection.close();
                }
            };
            if (cell.scenario() == Scenario.EXCEPTION_IN_BODY) {
                assertThatThrownBy(experiment::run).hasMessage("the experiment's body failed");
            } else {
                experiment.run();
            }
            end = System.nanoTime();
        }
        awaitClean(runId, web, ledgers, Duration.ofSeconds(30));
        return Duration.ofNanos(System.nanoTime() - end);
    }

    /** What a row changes through the API, seen in effect before the run ends (so that "clean" means undone). */
    static void inEffect(Cell cell, ContainerInfo web) {
        if (cell.fault() == MatrixFault.MEMORY_STRESS) {
            assertThat(ENGINE.memoryLimit(web.id())).as(cell + ": the temporary memory limit").isEqualTo(MatrixFault.TEMPORARY_MEMORY_LIMIT);
        }
    }

    static void body(Cell cell, String runId, ContainerInfo web) {
        inEffect(cell, web);
        switch (cell.scenario()) {
            case EXCEPTION_IN_BODY -> throw new IllegalStateException("the experiment's body failed");
            case HELPER_KILLED -> killHelpers(cell, runId);
            case TARGET_RESTARTED -> {
                ContainerInfo now = ENGINE.inspect(web.id());
                if (now.state() == ContainerState.PAUSED) {
                    ENGINE.unpause(web.id()); // Docker refuses to restart a paused container; an operator unpauses first
                }
                ENGINE.restart(web.id(), Duration.ofSeconds(1));
                await().atMost(Duration.ofSeconds(20)).until(() -> ENGINE.inspect(web.id()).running());
            }
            default -> { }
        }
    }

    /** SIGKILL to the run's helpers: their traps cannot run, whatever they changed stays behind them. */
    static void killHelpers(Cell cell, String runId) {
        List<ContainerInfo> helpers = ENGINE.containers(Map.of(Helpers.RUN_ID, runId, Helpers.ROLE, Helpers.ROLE_HELPER), false);
        assertThat(helpers).as("live helpers of " + cell).isNotEmpty();
        helpers.forEach(h -> ENGINE.kill(h.id(), "KILL"));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                ENGINE.containers(Map.of(Helpers.RUN_ID, runId, Helpers.ROLE, Helpers.ROLE_HELPER), false).isEmpty());
    }

    static Duration inChildJvm(Cell cell, Path ledgers, String runId, String project, ContainerInfo web) {
        String java = ProcessHandle.current().info().command().orElse("java");
        // SIGINT at its default, as at a terminal: a JVM keeps a signal ignored that it inherited ignored,
        // and this one may inherit that from how the build was started (`&` in a script ignores SIGINT)
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT", java, "-cp", System.getProperty("java.class.path"),
                "-D" + Ledger.DIR_PROPERTY + "=" + ledgers,
                "-D" + HelperImage.BASE_PROPERTY + "=" + HelperImage.fromSystemProperties().base(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                KillMatrixChild.class.getName(), ledgers.toString(), runId, project, cell.fault().name()));
        Process child;
        try {
            child = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> output = new CopyOnWriteArrayList<>();
        CountDownLatch injected = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                    if (line.startsWith("INJECTED")) {
                        injected.countDown();
                    }
                }
            } catch (IOException ignored) {
                // the child is gone
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            if (!injected.await(90, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                throw new AssertionError(cell + ": child JVM did not inject within 90 s: " + String.join("\n", output));
            }
            String reaper = output.stream().filter(l -> l.startsWith("INJECTED")).findFirst().orElseThrow().split(" ")[1];
            assertThat(reaper).as("reaper of the child JVM").startsWith("faultline-reaper-");
            if (!cell.fault().oneShot) {
                assertThat(Ledger.read(ledgerOf(ledgers, runId)).open()).as(cell + ": in effect before the signal")
                        .isNotEmpty();
            }
            inEffect(cell, web);
            if (cell.scenario() == Scenario.HELPER_KILLED_THEN_SIGKILL) {
                killHelpers(cell, runId);
            }
            switch (cell.scenario()) {
                case SIGINT -> signal(child, "INT");
                case SIGTERM -> signal(child, "TERM");
                default -> child.destroyForcibly();
            }
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                // where the child hangs, before it is killed: its threads, and what it printed
                String threads = threadDump(child.pid());
                child.destroyForcibly();
                throw new AssertionError(cell + ": child JVM did not exit within 60 s of the signal; its output:\n"
                        + String.join("\n", output) + "\nits threads:\n" + threads);
            }
            long end = System.nanoTime();
            boolean killed = cell.scenario() == Scenario.SIGKILL || cell.scenario() == Scenario.HELPER_KILLED_THEN_SIGKILL;
            if (!killed) {
                reader.join(5000);
                assertThat(output).as(cell + ": the shutdown hook reverted").contains("REVERTED");
            }
            // the reaper's promise after SIGKILL is ~10 s; shutdown hooks undo before the JVM exits
            awaitClean(runId, web, ledgers, Duration.ofSeconds(killed ? 15 : 20));
            return Duration.ofNanos(System.nanoTime() - end);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            child.destroyForcibly();
        }
    }

    static void signal(Process p, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- what "clean" means

    static void awaitClean(String runId, ContainerInfo web, Path ledgers, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(ENGINE.containers(Map.of(Helpers.RUN_ID, runId), true)).as("helpers and reaper of " + runId)
                    .extracting(ContainerInfo::name).isEmpty();
            ContainerInfo now = ENGINE.inspect(web.id());
            assertThat(now.state()).as(web.name() + " state").isEqualTo(ContainerState.RUNNING);
            assertThat(now.cpuQuota()).as(web.name() + " CPU quota").isLessThanOrEqualTo(0);
            assertThat(ENGINE.memoryLimit(web.id())).as(web.name() + " memory limit").isZero();
            assertThat(answers(now)).as(web.name() + " answers on " + PORT).isTrue();
            assertThat(Ledger.read(ledgerOf(ledgers, runId)).open()).as("open ledger entries").isEmpty();
        });
    }

    /**
     * A run's ledger: in the folder, or in ended/ when its JVM ended the run normally with nothing open. After
     * a signal the hooks revert but may not write the end, and the ledger stays until a later run's start moves it.
     */
    static Path ledgerOf(Path ledgers, String runId) {
        Path ended = ledgers.resolve(Ledger.ENDED).resolve(Ledger.fileName(runId));
        return Files.exists(ended) ? ended : ledgers.resolve(Ledger.fileName(runId));
    }

    static boolean answers(ContainerInfo c) {
        String ip = c.ipAddresses().values().stream().filter(a -> a != null && !a.isBlank()).findFirst().orElse(null);
        if (ip == null) {
            return false;
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, PORT), 1000);
            s.setSoTimeout(2000);
            return "ok".equals(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine());
        } catch (IOException e) {
            return false;
        }
    }

    /** No faultline rule in any table and no qdisc but the default in the target's network namespace. */
    static void verifyRules(ContainerInfo web, String runId) {
        Helpers.Finished r = Helpers.on(ENGINE).runToEnd(HelperRequest.of(runId + "-check", "check", web, Duration.ofSeconds(30),
                        List.of("bash", "-c", "for t in nat filter mangle raw; do iptables -w 5 -t $t -S | grep -F faultline: ; done;"
                                + " tc qdisc show | grep -E 'htb|netem|tbf|prio' ; exit 0"))
                .withNetworkMode("container:" + web.id()).withCapAdd("NET_ADMIN"), Duration.ofSeconds(60));
        assertThat(r.output().strip()).as("faultline rules and qdiscs left in " + web.name()).isEmpty();
    }

    // ---- targets

    static ContainerInfo container(String project, String service, List<String> made) {
        String out = docker("run", "-d", "--name", project + "-" + service + "-1", "--restart", "unless-stopped",
                "--label", "com.docker.compose.project=" + project,
                "--label", "com.docker.compose.service=" + service,
                "--label", "com.docker.compose.container-number=1",
                IMAGE, "bash", "-c", SERVER);
        String id = out.strip();
        made.add(id);
        return ENGINE.inspect(id);
    }

    static void cleanUp(String runId, List<String> made) {
        for (ContainerInfo c : ENGINE.containers(Map.of(Helpers.RUN_ID, runId), true)) {
            ENGINE.remove(c.id(), true);
        }
        for (ContainerInfo c : ENGINE.containers(Map.of(Helpers.RUN_ID, runId + "-check"), true)) {
            ENGINE.remove(c.id(), true);
        }
        made.forEach(id -> ENGINE.remove(id, true));
    }

    /** The threads of a JVM on this machine, by the jcmd beside this JVM's java; a line saying why not otherwise. */
    static String threadDump(long pid) {
        try {
            Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
            Process p = new ProcessBuilder(java.resolveSibling("jcmd").toString(), Long.toString(pid), "Thread.print")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "(no thread dump: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no thread dump: interrupted)";
        }
    }

    static String docker(String... args) {
        return DockerCli.run(args);
    }

    // ---- the demo stack

    static void demoCell(MatrixFault fault) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String runId = "fl-safety-demo-" + id;
        try (DemoStack demo = DemoStack.resilient("fl-safety-" + fault.name().toLowerCase().replace('_', '-')).start()) {
            awaitHealthy(demo, Duration.ofSeconds(60));
            Path ledgers = Files.createDirectories(LEDGERS.resolve(id));
            ContainerInfo web = ComposeStack.named(ENGINE, demo.project()).containers().stream()
                    .filter(c -> c.service().equals("web")).findFirst().orElseThrow();
            Cell cell = new Cell(fault, Scenario.SIGKILL);
            String java = ProcessHandle.current().info().command().orElse("java");
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    KillMatrixChild.class.getName(), ledgers.toString(), runId, demo.project(), fault.name())
                    .redirectErrorStream(true).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                StringBuilder seen = new StringBuilder();
                while ((line = r.readLine()) != null && !line.startsWith("INJECTED")) {
                    seen.append(line).append('\n');
                }
                assertThat(line).as(cell + " injected; output: " + seen).isNotNull();
                assertThat(Ledger.read(ledgerOf(ledgers, runId)).open()).as(cell + ": in effect before SIGKILL")
                        .isNotEmpty();
                // the fault is in effect: the demo's health check fails or slows
                child.destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
            } finally {
                child.destroyForcibly();
            }
            long end = System.nanoTime();
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                assertThat(ENGINE.containers(Map.of(Helpers.RUN_ID, runId), true)).as("helpers and reaper").isEmpty();
                assertThat(Ledger.read(ledgerOf(ledgers, runId)).open()).as("open ledger entries").isEmpty();
            });
            awaitHealthy(demo, Duration.ofSeconds(60));
            TIMINGS.add(String.format("%-42s undone %5.1f s after SIGKILL, /health/ 200 again", cell,
                    (System.nanoTime() - end) / 1e9));
            verifyRules(ENGINE.inspect(web.id()), runId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            for (ContainerInfo c : ENGINE.containers(Map.of(Helpers.RUN_ID, runId), true)) {
                ENGINE.remove(c.id(), true);
            }
        }
    }

    static void awaitHealthy(DemoStack demo, Duration within) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        await().atMost(within).pollInterval(Duration.ofMillis(500)).until(() -> {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(demo.healthUrl())).timeout(Duration.ofSeconds(3))
                        .build(), HttpResponse.BodyHandlers.discarding());
                return r.statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }
}
