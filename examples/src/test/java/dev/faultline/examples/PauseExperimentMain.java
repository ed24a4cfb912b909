package dev.faultline.examples;

import static dev.faultline.dsl.Probes.health;

import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.dsl.Chaos;
import java.time.Duration;

/** A long pause of web, run in a child JVM by {@link SafetyIT} and interrupted there with SIGINT. */
public final class PauseExperimentMain {

    private PauseExperimentMain() {}

    public static void main(String[] args) {
        ExperimentResult result = Chaos.project(args[0]).healthUrl(args[1])
                .on("web").pause().lasting(Duration.ofSeconds(120))
                .expect(health(200)).within(Duration.ofSeconds(30));
        System.out.println(result.table());
    }
}
