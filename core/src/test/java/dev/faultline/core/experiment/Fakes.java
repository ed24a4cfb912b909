package dev.faultline.core.experiment;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ContainerState;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.EngineEvent;
import dev.faultline.core.engine.EngineInfo;
import dev.faultline.core.engine.ExecResult;
import dev.faultline.core.engine.Health;
import dev.faultline.core.engine.HelperSpec;
import dev.faultline.core.engine.LogLine;
import dev.faultline.core.engine.ResourceUsage;
import dev.faultline.core.engine.RestartPolicy;
import dev.faultline.core.fault.Fault;
import dev.faultline.core.fault.FaultContext;
import dev.faultline.core.fault.FaultException;
import dev.faultline.core.fault.Injection;
import dev.faultline.core.probe.ErrorClass;
import dev.faultline.core.probe.Probe;
import dev.faultline.core.probe.ProbeResult;
import dev.faultline.core.target.TargetNotFoundException;
import dev.faultline.core.target.Targets;
import java.io.Closeable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Small fakes of core's interfaces for runner tests: a log of what happened, in order. */
final class Fakes {

    private Fakes() {}


    static ContainerInfo container(String service, ContainerState state, int exitCode, RestartPolicy policy) {
        return new ContainerInfo("id-" + service + "-0123456789", "demo-" + service + "-1", "demo", service, 1, "img",
                state, Health.NONE, exitCode, false, policy, 0, List.of(), state == ContainerState.RUNNING ? 42 : 0,
                Instant.EPOCH, Instant.EPOCH, Map.of(), Map.of(), 0, 0);
    }

    static final class FakeTargets implements Targets {
        final Map<String, ContainerInfo> containers = new ConcurrentHashMap<>();

        FakeTargets with(ContainerInfo c) {
            containers.put(c.service(), c);
            return this;
        }

        @Override
        public String project() {
            return "demo";
        }

        @Override
        public List<String> services() {
            return new TreeMap<>(containers).keySet().stream().toList();
        }

        @Override
        public List<ContainerInfo> containers(String service) {
            ContainerInfo c = containers.get(service);
            if (c == null) {
                throw new TargetNotFoundException("no service '" + service + "' in project 'demo'");
            }
            return List.of(c);
        }
    }

    /** A probe whose answer the test switches; every check is counted. */
    static final class SwitchProbe implements Probe {
        volatile boolean healthy = true;
        volatile ErrorClass failure = ErrorClass.HTTP_502;
        final List<Boolean> answers = new CopyOnWriteArrayList<>();
        /** Answers given by count before {@link #healthy} is read again: no timing window to miss. */
        final java.util.Queue<Boolean> script = new java.util.concurrent.ConcurrentLinkedQueue<>();

        void answerNext(boolean ok, int times) {
            for (int i = 0; i < times; i++) script.add(ok);
        }

        @Override
        public String name() {
            return "GET http://localhost:8081/health/ -> 200";
        }

        @Override
        public ProbeResult check() {
            Boolean scripted = script.poll();
            boolean ok = scripted != null ? scripted : healthy;
            answers.add(ok);
            return new ProbeResult(name(), Instant.now(), ok, Duration.ofMillis(3), ok ? ErrorClass.NONE : failure,
                    ok ? "status 200 in 3 ms" : "status 502 in 3 ms");
        }
    }

    /** A fault that records inject and revert in the journal, and can run an action on inject or fail. */
    static final class RecordingFault implements Fault {
        final String name;
        final List<String> journal;
        Runnable onInject = () -> {};
        Runnable onRevert = () -> {};
        RuntimeException injectFailure;
        RuntimeException revertFailure;
        /** What the injection says it did; not measured unless a test sets it. */
        dev.faultline.core.fault.Effect effect = dev.faultline.core.fault.Effect.notMeasured("a test fault");
        volatile boolean live;

        RecordingFault(String name, List<String> journal) {
            this.name = name;
            this.journal = journal;
        }

        @Override
        public String describe() {
            return name;
        }

        @Override
        public Injection inject(FaultContext context) {
            if (injectFailure != null) {
                journal.add("inject-failed " + name);
                throw injectFailure;
            }
            journal.add("inject " + name);
            live = true;
            onInject.run();
            Instant at = Instant.now();
            return new Injection() {
                private boolean closed;

                @Override
                public String mechanism() {
                    return "test mechanism for " + name;
                }

                @Override
                public List<String> targets() {
                    return List.of("demo-web-1");
                }

                @Override
                public Instant injectedAt() {
                    return at;
                }

                @Override
                public dev.faultline.core.fault.Effect effect() {
                    return effect;
                }

                @Override
                public synchronized void close() {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    journal.add("revert " + name);
                    onRevert.run();
                    if (revertFailure != null) {
                        throw revertFailure;
                    }
                    live = false;
                }
            };
        }
    }

    /** An engine that only streams the events a test pushes; everything else is unsupported. */
    static final class StubEngine implements Engine {
        final List<Consumer<EngineEvent>> listeners = new CopyOnWriteArrayList<>();

        void emit(EngineEvent e) {
            listeners.forEach(l -> l.accept(e));
        }

        @Override
        public Closeable events(Map<String, String> labels, Consumer<EngineEvent> listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }

        // local and not a unix socket: the run keeps a ledger but starts no reaper
        @Override public EngineInfo info() { return new EngineInfo("stub", "1.41", "stub://", "linux", "stub", true); }
        @Override public void ping() {}
        @Override public List<ContainerInfo> containers(Map<String, String> labels, boolean includeStopped) { return List.of(); }
        @Override public ContainerInfo inspect(String containerId) { throw new UnsupportedOperationException(); }
        @Override public void kill(String containerId, String signal) { throw new UnsupportedOperationException(); }
        @Override public void stop(String containerId, Duration timeout) { throw new UnsupportedOperationException(); }
        @Override public void start(String containerId) { throw new UnsupportedOperationException(); }
        @Override public void restart(String containerId, Duration timeout) { throw new UnsupportedOperationException(); }
        @Override public void pause(String containerId) { throw new UnsupportedOperationException(); }
        @Override public void unpause(String containerId) { throw new UnsupportedOperationException(); }
        @Override public ExecResult exec(String containerId, List<String> command, Duration timeout) { throw new UnsupportedOperationException(); }
        @Override public boolean imageExists(String reference) { return false; }
        @Override public void buildImage(Path contextDir, String tag, Map<String, String> buildArgs, Duration timeout) { throw new UnsupportedOperationException(); }
        @Override public String run(HelperSpec spec) { throw new UnsupportedOperationException(); }
        @Override public Optional<Integer> waitForExit(String containerId, Duration timeout) { return Optional.empty(); }
        @Override public void remove(String containerId, boolean force) {}
        @Override public List<LogLine> logs(String containerId, Instant since, Instant until) { return List.of(); }
        @Override public ResourceUsage stats(String containerId) {
            return new ResourceUsage(java.time.Instant.now(), containerId, 42.0, 1 << 20, 0);
        }
        @Override public void updateCpuQuota(String containerId, long quotaMicros, long periodMicros) { throw new UnsupportedOperationException(); }
    }

    static List<String> newJournal() {
        return Collections.synchronizedList(new ArrayList<>());
    }

    static FaultException faultException(String message) {
        return new FaultException(message);
    }
}
