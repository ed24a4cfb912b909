package dev.faultline.benchmarks;

import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.experiment.FaultRecord;
import dev.faultline.core.experiment.Phase;
import dev.faultline.dsl.Chaos;
import dev.faultline.dsl.Project;
import dev.faultline.examples.SeedExperiments;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Wall time of each seed experiment beyond its configured phases, against the demo stack (brought up by
 * run.sh). The configured and the system's own time is: the baseline before the first fault, each fault's
 * configured duration, and the recovery phase (waiting for the stack to recover, plus the configured
 * observation after it). Everything else is the library's: the steady-state check before, the injection
 * calls (helper containers), reverting, and the analysis.
 */
public final class ExperimentOverhead {

    private static final String SECTION = "experiments";

    public static void main(String[] args) {
        String project = args[0];
        String healthUrl = args[1];
        Project demo = Chaos.project(project).healthUrl(healthUrl);
        SeedExperiments seeds = SeedExperiments.demo(demo);
        // the first experiment in a fresh JVM also pays class loading and the engine's first calls: measured
        // once cold, then again warm with the others
        measure("01-gunicorn-kill.cold", () -> seeds.gunicornKill(Duration.ofSeconds(30)));
        measure("01-gunicorn-kill", () -> seeds.gunicornKill(Duration.ofSeconds(30)));
        measure("02-db-restart", () -> seeds.dbRestart(Duration.ofSeconds(30)));
        measure("03-cpu-stress", () -> seeds.cpuStress(2, Duration.ofSeconds(8), Duration.ofSeconds(3), 0.05));
        measure("04-network-delay", () -> seeds.networkDelay(Duration.ofMillis(500), Duration.ofMillis(50),
                Duration.ofSeconds(10), Duration.ofSeconds(4), 0.05));
        System.exit(0);
    }

    static void measure(String name, Supplier<ExperimentResult> experiment) {
        long start = System.nanoTime();
        ExperimentResult result = experiment.get();
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        Duration configured = phase(result, "baseline").plus(phase(result, "recovery"));
        for (FaultRecord fault : result.faults()) {
            configured = configured.plus(fault.lasting().orElse(Duration.ZERO));
        }
        System.out.println(result.table());
        Results.note(SECTION, name + " outcome " + result.outcome() + ": " + result.reason());
        Results.print(SECTION, name + ".wall", wall.toMillis(), "ms");
        Results.print(SECTION, name + ".configured-and-recovery", configured.toMillis(), "ms");
        Results.print(SECTION, name + ".overhead", wall.minus(configured).toMillis(), "ms");
        for (Phase p : result.phases()) {
            Results.print(SECTION, name + ".phase." + p.name().replace(' ', '-'), Duration.between(p.start(), p.end()).toMillis(), "ms");
        }
    }

    private static Duration phase(ExperimentResult result, String name) {
        Optional<Phase> phase = result.phases().stream().filter(p -> p.name().equals(name)).findFirst();
        return phase.map(p -> Duration.between(p.start(), p.end())).orElse(Duration.ZERO);
    }
}
