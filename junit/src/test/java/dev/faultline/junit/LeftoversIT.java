package dev.faultline.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ContainerState;
import dev.faultline.core.engine.docker.Engines;
import dev.faultline.dsl.Project;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The extension's promises about what tests leave, on a real stack: a fault left behind fails the test
 * that left it (named) and is undone; what the stack's own reaction left is repaired and the next test
 * starts steady; afterwards nothing of the project is left on the engine.
 */
class LeftoversIT {

    static final AtomicReference<String> PROJECT = new AtomicReference<>();

    /** Run through the test kit, not by Failsafe (a nested class): its first test is meant to fail. */
    @FaultlineTest(compose = "../demo/docker-compose.fragile.yml", project = "fl-junit-leftovers", health = "nginx:80/health/",
            portVariable = "DEMO_PORT")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class LeavesThingsBehind {

        static Project demo;

        @Test
        @Order(1)
        void pausesDbAndForgetsIt() {
            PROJECT.set(demo.name().orElseThrow());
            Engines.docker().pause(container("db").id());
        }

        @Test
        @Order(2)
        void stopsWebLikeACrashWould() {
            assertThat(container("db").state()).as("the pause was undone before this test").isEqualTo(ContainerState.RUNNING);
            Engines.docker().kill(container("web").id(), "KILL");
        }

        @Test
        @Order(3)
        void findsTheStackSteady() {
            assertThat(container("web").state()).isEqualTo(ContainerState.RUNNING);
            assertThat(demo.on("web").restart().expect(dev.faultline.dsl.Probes.health(200))
                    .within(java.time.Duration.ofSeconds(30)).outcome().name()).isEqualTo("HELD");
        }

        private static ContainerInfo container(String service) {
            return Engines.docker().containers(Map.of("com.docker.compose.project", demo.name().orElseThrow(),
                    "com.docker.compose.service", service), true).get(0);
        }
    }

    @Test
    void aFaultLeftBehindFailsItsTestARepairDoesNotAndNothingStaysAfterTheClass() throws Exception {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(LeavesThingsBehind.class))
                .execute().testEvents();

        tests.assertThatEvents().haveExactly(1, event(test("pausesDbAndForgetsIt"), finishedWithFailure(
                instanceOf(AssertionError.class),
                message(m -> m.startsWith("LeavesThingsBehind.pausesDbAndForgetsIt left a fault behind in project fl-junit-leftovers-")
                        && m.contains("_db_1 was paused: unpaused")))));
        tests.assertThatEvents().haveExactly(1, event(test("stopsWebLikeACrashWould"), finishedSuccessfully()));
        tests.assertThatEvents().haveExactly(1, event(test("findsTheStackSteady"), finishedSuccessfully()));

        String project = PROJECT.get();
        assertThat(project).startsWith("fl-junit-leftovers-");
        assertThat(Engines.docker().containers(Map.of("com.docker.compose.project", project), true)).isEmpty();
        assertThat(docker("network", "ls", "-q", "--filter", "label=com.docker.compose.project=" + project)).isEmpty();
        assertThat(docker("volume", "ls", "-q", "--filter", "label=com.docker.compose.project=" + project)).isEmpty();
    }

    private static List<String> docker(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s: %s", command, out).isZero();
        return out.lines().filter(l -> !l.isBlank()).toList();
    }
}
