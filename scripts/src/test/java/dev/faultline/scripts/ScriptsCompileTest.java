package dev.faultline.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code .jsh} script in scripts/ still compiles against the jar it puts on its class path,
 * without running anything ({@link ScriptCheck}, the check {@code scripts/run.sh} makes before it runs one).
 */
class ScriptsCompileTest {

    private static final Path SCRIPTS = Path.of("").toAbsolutePath();
    private static final Path ROOT = SCRIPTS.getParent();
    private static final Path JAR = SCRIPTS.resolve("target/faultline-scripts.jar");
    private static final String CLASS_PATH_LINE = "/env --class-path scripts/target/faultline-scripts.jar";

    @TestFactory
    Stream<DynamicTest> everyScriptCompiles() throws IOException {
        assertThat(JAR).as("the shaded jar the scripts use (made before the tests)").isRegularFile();
        List<Path> scripts;
        // scripts/ and one level below (scripts/advanced/, scripts/swarm/)
        try (Stream<Path> files = Files.walk(SCRIPTS, 2)) {
            scripts = files.filter(p -> p.toString().endsWith(".jsh") && !p.startsWith(SCRIPTS.resolve("target")))
                    .sorted().toList();
        }
        assertThat(scripts).extracting(p -> SCRIPTS.relativize(p).toString())
                .contains("01-gunicorn-kill.jsh", "02-db-restart.jsh", "03-cpu-stress.jsh", "04-network-delay.jsh",
                        "run-all.jsh", "game-day.jsh", "TEMPLATE.jsh", "advanced/db-restart-while-cpu-starved.jsh",
                        "advanced/load-under-chaos.jsh", "advanced/connection-exhaustion-cascade.jsh", "swarm/01-task-kill.jsh");
        return scripts.stream().map(script -> DynamicTest.dynamicTest(SCRIPTS.relativize(script).toString(), () -> {
            assertThat(Files.readAllLines(script)).as("%s sets its class path to the scripts jar", script.getFileName())
                    .contains(CLASS_PATH_LINE);
            assertThat(ScriptCheck.problems(script, ROOT)).as("compile problems in %s", script.getFileName()).isEmpty();
        }));
    }

    @Test
    void aChainBrokenBeforeItsDotsIsFoundWithItsLine(@TempDir Path dir) throws IOException {
        Path script = script(dir, "String s = \"a\"", "    .toUpperCase();");

        assertThat(ScriptCheck.problems(script, ROOT)).containsExactly("line 4: .toUpperCase();: illegal start of expression");
    }

    @Test
    void anUnknownNameIsFoundWithItsLine(@TempDir Path dir) throws IOException {
        Path script = script(dir, "int x = undefinedThing + 1;");

        assertThat(ScriptCheck.problems(script, ROOT)).singleElement().asString()
                .isEqualTo("line 3: int x = undefinedThing + 1;: cannot find variable undefinedThing");
    }

    /** A script with the class path line and "int code = 0;" (lines 1 and 2), then {@code body}, then /exit. */
    private static Path script(Path dir, String... body) throws IOException {
        List<String> lines = new java.util.ArrayList<>(List.of(CLASS_PATH_LINE, "int code = 0;"));
        lines.addAll(List.of(body));
        lines.add("/exit code");
        return Files.write(dir.resolve("my.jsh"), lines);
    }

    @Test
    void aScriptWithoutExitOrClassPathIsNamed(@TempDir Path dir) throws IOException {
        Path script = dir.resolve("no-exit.jsh");
        Files.writeString(script, "System.out.println(1);\n");

        assertThat(ScriptCheck.problems(script, ROOT)).containsExactly(
                "no '/env --class-path scripts/target/faultline-scripts.jar' line: the script cannot see faultline",
                "the script must end with one '/exit <code>' line (without it jshell waits at its prompt, and exits 0)");
    }
}
