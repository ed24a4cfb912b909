package dev.faultline.core.report;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ContainerState;
import dev.faultline.core.engine.EngineEvent;
import dev.faultline.core.engine.EngineInfo;
import dev.faultline.core.engine.Health;
import dev.faultline.core.engine.LogLine;
import dev.faultline.core.engine.RestartPolicy;
import dev.faultline.core.experiment.Expectation;
import dev.faultline.core.experiment.Experiment;
import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.experiment.FaultRecord;
import dev.faultline.core.experiment.FaultStep;
import dev.faultline.core.experiment.Observation;
import dev.faultline.core.experiment.Outcome;
import dev.faultline.core.experiment.Phase;
import dev.faultline.core.experiment.Recovery;
import dev.faultline.core.experiment.Verdict;
import dev.faultline.core.experiment.Workload;
import dev.faultline.core.fault.Fault;
import dev.faultline.core.fault.FaultContext;
import dev.faultline.core.fault.Injection;
import dev.faultline.core.logs.DockerLogFiles;
import dev.faultline.core.observe.RunClock;
import dev.faultline.core.observe.Timeline;
import dev.faultline.core.probe.ErrorClass;
import dev.faultline.core.probe.Probe;
import dev.faultline.core.probe.ProbeResult;
import dev.faultline.core.redact.Redactor;
import dev.faultline.core.steadystate.SteadyState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A deterministic run of "web crashes under load" on the fragile demo: 20 s at 10 requests/s, web
 * SIGKILLed at +5 s, 502s until Docker... does not restart it (no policy) and an operator-like
 * start at +7.5 s; one acknowledged write lost. Every figure is fixed, so reports can be compared.
 */
final class SampleRun {

    static final Instant START = Instant.parse("2026-11-27T06:48:00Z");

    private SampleRun() {}

    static Experiment experiment() {
        Probe health = new Probe() {
            @Override
            public String name() {
                return "GET http://localhost:8081/health/ = 200";
            }

            @Override
            public ProbeResult check() {
                throw new UnsupportedOperationException("not run");
            }
        };
        Fault crash = new Fault() {
            @Override
            public String describe() {
                return "crash web (SIGKILL to PID 1 from the host)";
            }

            @Override
            public Injection inject(FaultContext context) {
                throw new UnsupportedOperationException("not run");
            }
        };
        Workload load = new Workload() {
            @Override
            public String describe() {
                return "10 requests/s: GET /, POST /api/orders/ (writes tracked)";
            }

            @Override
            public boolean tracksWrites() {
                return true;
            }

            @Override
            public Running start(Consumer<ProbeResult> sink) {
                throw new UnsupportedOperationException("not run");
            }
        };
        return Experiment.named("crash-web").steadyState(SteadyState.of(health)).load(load)
                .fault(new FaultStep(crash, Duration.ofSeconds(5), Optional.empty()))
                .expect(Expectation.recoveredWithin(Duration.ofSeconds(30)), Expectation.errorRateBelow(0.05),
                        Expectation.noLostWrites())
                .build();
    }

    static ExperimentResult result(String reason) {
        long[] now = {0};
        RunClock clock = RunClock.of(() -> now[0], START);
        Timeline timeline = Timeline.create(clock);
        List<Observation> observations = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long ms = i * 100L;
            boolean down = ms >= 5_000 && ms < 7_500;
            ErrorClass error = down ? (ms < 5_300 ? ErrorClass.RESET : ErrorClass.HTTP_502) : ErrorClass.NONE;
            long latency = down ? 2 : ms >= 7_500 && ms < 8_500 ? 180 : 12 + (i % 5);
            timeline.recordRequest(ms * 1_000_000, latency * 1_000_000, error);
            observations.add(new Observation(START.plusMillis(ms), Observation.Source.LOAD, !down,
                    Duration.ofMillis(latency), error, down ? "502 Bad Gateway" : "200 in " + latency + " ms"));
        }
        for (int s = 0; s < 20; s++) {
            // web's CPU drops to nothing while it is dead; db keeps its share
            boolean webDown = s >= 5 && s < 8;
            timeline.resourceSample(s * 1_000_000_000L, "web", webDown ? 0 : 35 + s % 3, webDown ? 0 : 90L << 20);
            timeline.resourceSample(s * 1_000_000_000L, "db", 8, 40L << 20);
        }
        Instant injected = START.plusMillis(5_000);
        timeline.mark(5_000_000_000L, dev.faultline.core.observe.Mark.Kind.FAULT_INJECTED, "crash web");
        List<EngineEvent> events = List.of(
                new EngineEvent(START.plusMillis(5_000), "c0ffee", "web", "exec_start: python3 -c healthcheck", Map.of()),
                new EngineEvent(START.plusMillis(5_040), "c0ffee", "web", "die", Map.of("exitCode", "137")),
                new EngineEvent(START.plusMillis(7_400), "c0ffee", "web", "start", Map.of()),
                new EngineEvent(START.plusMillis(9_100), "c0ffee", "web", "health_status: healthy", Map.of()));
        events.forEach(e -> timeline.containerEvent(Duration.between(START, e.time()).toNanos(), e.service(), e.action()));
        FaultRecord fault = new FaultRecord("crash web (SIGKILL to PID 1 from the host)", Duration.ofSeconds(5),
                Optional.empty(), "SIGKILL to host PID 4242 from a helper in the host PID namespace",
                List.of("fl-demo_web_1"), Optional.of(injected), Optional.of(START.plusMillis(5_100)), Optional.empty(),
                dev.faultline.core.fault.Effect.bit("fl-demo_web_1 died (exit 137) and Docker started it again",
                        List.of(dev.faultline.core.fault.Effect.count("deaths", 1, ""),
                                dev.faultline.core.fault.Effect.count("restarts", 1, ""))));
        Recovery recovery = new Recovery(Optional.of(START.plusMillis(5_100)), Optional.of(Duration.ofMillis(0)),
                Optional.of(START.plusMillis(7_500)), Optional.of(START.plusMillis(7_500)),
                Optional.of(Duration.ofMillis(2_400)), Optional.of(Duration.ofMillis(2_500)), 0.8333);
        List<Verdict> verdicts = List.of(
                new Verdict("recovered within 30 s", Verdict.Status.HELD, "the steady state held again 2.4 s after the fault"),
                new Verdict("error rate below 5%", Verdict.Status.FAILED,
                        "16.7% of requests failed (25 of 150: 22 × 502, 3 × connection reset), not below 5%"),
                new Verdict("no lost writes", Verdict.Status.FAILED, "1 of 74 acknowledged writes were LOST (ids 31)"));
        List<Phase> phases = List.of(new Phase("steady-state check", START, START.plusMillis(20)),
                new Phase("baseline", START.plusMillis(20), injected),
                new Phase("inject and observe", injected, START.plusMillis(5_100)),
                new Phase("revert", START.plusMillis(5_100), START.plusMillis(5_110)),
                new Phase("recovery", START.plusMillis(5_110), START.plusMillis(11_000)));
        return new ExperimentResult("crash-web", "crash-web-a1b2c3", Outcome.FAILED, reason, START,
                START.plusMillis(20_000), phases, List.of(fault), recovery, verdicts, events, observations, timeline);
    }

    static ExperimentResult result() {
        return result("2 of 3 expectations did not hold: error rate below 5%, no lost writes");
    }

    static ReportContext context() {
        Map<String, List<LogLine>> logs = Map.of(
                "nginx", DockerLogFiles.parse(List.of(
                        "2026-11-27T06:48:05.010000000Z 2026/11/27 06:48:05 [error] 7#7: *66 connect() failed (111: Connection refused) while connecting to upstream, client: 192.168.224.1, server: , request: \"GET / HTTP/1.1\", upstream: \"http://192.168.224.3:8000/\"",
                        "2026-11-27T06:48:05.011000000Z 192.168.224.1 [2026-11-27T06:48:05+00:00] \"GET / HTTP/1.1\" 502 150 rt=0.000 urt=0.000 us=502 ua=\"192.168.224.3:8000\""),
                        "nginx"),
                "web", DockerLogFiles.parse(List.of(
                        "2026-11-27T06:48:07.450000000Z [2026-11-27 06:48:07 +0000] [1] [INFO] Starting gunicorn 23.0.0",
                        "2026-11-27T06:48:07.460000000Z [2026-11-27 06:48:07 +0000] [9] [INFO] Booting worker with pid: 9",
                        "2026-11-27T06:48:07.470000000Z DATABASE_URL=postgres://demo:hunter2@db:5432/demo"), "web"));
        List<ContainerInfo> containers = List.of(
                container("nginx", "fl-demo_nginx_1", RestartPolicy.NONE, Health.NONE),
                container("web", "fl-demo_web_1", RestartPolicy.NONE, Health.NONE),
                container("db", "fl-demo_db_1", RestartPolicy.NONE, Health.NONE));
        return new ReportContext(Optional.of(experiment()), "fl-demo", containers,
                Optional.of(new EngineInfo("20.10.24", "1.41", "unix:///var/run/docker.sock", "linux", "6.18", true)),
                logs, Redactor.standard());
    }

    static ContainerInfo container(String service, String name, RestartPolicy policy, Health health) {
        return new ContainerInfo(service + "0123456789abcdef", name, "fl-demo", service, 1, "faultline-demo/" + service + ":latest",
                ContainerState.RUNNING, health, 0, false, policy, 0, List.of(), 100, START.minusSeconds(60), null,
                Map.of(), Map.of(), 0, 0);
    }
}
