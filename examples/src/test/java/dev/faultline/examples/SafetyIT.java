package dev.faultline.examples;

import static dev.faultline.dsl.Chaos.at;
import static dev.faultline.dsl.Probes.health;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ContainerState;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.docker.Engines;
import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.experiment.Outcome;
import dev.faultline.core.target.ComposeStack;
import dev.faultline.core.target.TargetNotFoundException;
import dev.faultline.core.testing.DemoStack;
import dev.faultline.dsl.Chaos;
import dev.faultline.dsl.Project;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Reverts survive Ctrl-C, and misuse fails early with messages that say what to fix. */
class SafetyIT {

    @RegisterExtension
    static final DemoStack demo = DemoStack.resilient("fl-exp-safety");

    private static Project project() {
        return Chaos.project(demo.project()).healthUrl(demo.healthUrl());
    }

    private static ContainerInfo web() {
        Engine engine = Engines.docker();
        return ComposeStack.named(engine, demo.project()).containers("web").get(0);
    }

    @Test
    void ctrlCInTheMiddleOfAPauseUnpausesTheContainer() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // SIGINT at its default, as at a terminal: a JVM keeps a signal ignored that it inherited ignored,
        // and this one may inherit that from how the build was started (`&` in a script ignores SIGINT)
        Process child = new ProcessBuilder("env", "--default-signal=INT", java, "-cp", System.getProperty("java.class.path"),
                PauseExperimentMain.class.getName(), demo.project(), demo.healthUrl())
                // To a file: the child's lines on our stdout would garble failsafe's channel.
                .redirectErrorStream(true).redirectOutput(new java.io.File("target/pause-child.log")).start();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> web().state() == ContainerState.PAUSED);

            new ProcessBuilder("kill", "-INT", String.valueOf(child.pid())).inheritIO().start().waitFor();

            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child JVM exits after SIGINT").isTrue();
            assertThat(web().state()).as("web after the child's shutdown hook").isEqualTo(ContainerState.RUNNING);
            assertThat(Files.readString(Path.of("target/pause-child.log")))
                    .contains("JVM is exiting; reverting 1 live fault(s)").contains("reverted pause web");
        } finally {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
            if (web().state() == ContainerState.PAUSED) {
                Engines.docker().unpause(web().id()); // never leave our stack paused
            }
        }
    }

    @Test
    void anUnknownServiceIsNamedWithTheServicesThatExist() {
        assertThatThrownBy(() -> project().on("wbe").kill().expect(health(200)).within(Duration.ofSeconds(10)))
                .isInstanceOf(TargetNotFoundException.class)
                .hasMessage("experiment 'wbe-kill' needs service 'wbe', but project '" + demo.project()
                        + "' has only db, nginx, web; nothing was touched");
    }

    @Test
    void aFaultOnAStoppedContainerIsAnErrorThatSaysSo() {
        Engine engine = Engines.docker();
        String db = ComposeStack.named(engine, demo.project()).containers("db").get(0).id();
        engine.stop(db, Duration.ofSeconds(10));
        try {
            // No steady state: the point is what the fault does on a stopped container.
            ExperimentResult result = project().experiment("pause-stopped-db")
                    .fault(project().on("db").pause(), at(Duration.ZERO))
                    .run();

            assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(result.reason()).startsWith("could not inject 'pause db").contains("not running");
        } finally {
            engine.start(db);
        }
    }

    @Test
    void zeroDurationsAreRejectedBeforeAnythingIsTouched() {
        assertThatIllegalArgumentException().isThrownBy(() -> project().on("web").pause().lasting(Duration.ZERO))
                .withMessage("duration must be in (0, PT1H], got PT0S");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> project().on("web").kill().expect(health(200)).within(Duration.ZERO))
                .withMessage("within must be in (0, PT1H], got PT0S");
        assertThat(web().state()).isEqualTo(ContainerState.RUNNING);
    }
}
