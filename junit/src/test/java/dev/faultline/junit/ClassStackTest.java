package dev.faultline.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import org.junit.jupiter.api.Test;

/** What the annotation is checked for before anything is touched, and the refusal of a shared running project. */
class ClassStackTest {

    @FaultlineTest(project = "fl-shared-running")
    static class First {}

    @FaultlineTest(project = "fl-shared-running")
    static class Second {}

    @FaultlineTest(compose = "no/such/docker-compose.yml")
    static class MissingFile {}

    @FaultlineTest
    static class Nothing {}

    @FaultlineTest(project = "demo", env = "NOEQUALS")
    static class BadEnv {}

    @FaultlineTest(project = "demo", health = "nginx")
    static class BadHealth {}

    @FaultlineTest(compose = "../demo/docker-compose.yml", project = "Bad Name")
    static class BadPrefix {}

    @FaultlineTest(project = "demo", portVariable = "DEMO_PORT")
    static class PortWithoutCompose {}

    private static ClassStack prepare(Class<?> c) {
        return ClassStack.prepare(c, c.getAnnotation(FaultlineTest.class));
    }

    @Test
    void twoClassesCannotShareARunningProjectAtTheSameTime() {
        ClassStack first = prepare(First.class);
        try {
            assertThatIllegalStateException().isThrownBy(() -> prepare(Second.class))
                    .withMessageStartingWith("@FaultlineTest on " + Second.class.getName() + ": project 'fl-shared-running' is in use by "
                            + First.class.getName() + ", which runs at the same time");
        } finally {
            first.close(); // not started: leaves the project alone, releases the claim
        }
        prepare(Second.class).close();
    }

    @Test
    void classesWithComposeFilesGetProjectsOfTheirOwn() {
        ClassStack a = ClassStack.prepare(First.class, Parallel.class.getAnnotation(FaultlineTest.class));
        ClassStack b = ClassStack.prepare(Second.class, Parallel.class.getAnnotation(FaultlineTest.class));
        try {
            assertThat(a.project()).startsWith("fl-parallel-").isNotEqualTo(b.project());
        } finally {
            a.close();
            b.close();
        }
    }

    @FaultlineTest(compose = "../demo/docker-compose.yml", project = "fl-parallel", portVariable = "DEMO_PORT")
    static class Parallel {}

    @Test
    void badAnnotationsAreNamedBeforeAnythingIsTouched() {
        assertThatIllegalArgumentException().isThrownBy(() -> prepare(MissingFile.class))
                .withMessageContaining("compose file 'no/such/docker-compose.yml' does not exist");
        assertThatIllegalArgumentException().isThrownBy(() -> prepare(Nothing.class))
                .withMessageEndingWith("name compose files, or the running project to use");
        assertThatIllegalArgumentException().isThrownBy(() -> prepare(BadEnv.class))
                .withMessageEndingWith("env entries must be NAME=value, got 'NOEQUALS'");
        assertThatIllegalArgumentException().isThrownBy(() -> prepare(BadHealth.class))
                .withMessageEndingWith("health must be 'service:port/path' or an http(s):// URL, got 'nginx'");
        assertThatIllegalArgumentException().isThrownBy(() -> prepare(BadPrefix.class))
                .withMessageContaining("project must be lower-case letters, digits, '-' or '_'").withMessageEndingWith("got 'Bad Name'");
        assertThatIllegalArgumentException().isThrownBy(() -> prepare(PortWithoutCompose.class))
                .withMessageEndingWith("portVariable needs compose files (a running project's ports are fixed)");
    }
}
