package dev.faultline.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code .jsh} script in scripts/ still compiles against the jar it puts on its class path,
 * without running anything: imports and declarations are evaluated as they are, and the
 * statements are compiled as the body of a method that is never called.
 */
class ScriptsCompileTest {

    private static final Path SCRIPTS = Path.of("").toAbsolutePath();
    private static final Path JAR = SCRIPTS.resolve("target/faultline-scripts.jar");
    private static final String CLASS_PATH_COMMAND = "/env --class-path scripts/target/faultline-scripts.jar";

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
                        "run-all.jsh", "game-day.jsh", "advanced/db-restart-while-cpu-starved.jsh",
                        "advanced/load-under-chaos.jsh", "advanced/connection-exhaustion-cascade.jsh", "swarm/01-task-kill.jsh");
        return scripts.stream().map(script -> DynamicTest.dynamicTest(SCRIPTS.relativize(script).toString(),
                () -> assertCompiles(script)));
    }

    private static void assertCompiles(Path script) throws IOException {
        String text = Files.readString(script);
        List<String> lines = text.lines().toList();
        assertThat(lines).as("%s sets its class path to the scripts jar", script.getFileName()).contains(CLASS_PATH_COMMAND);
        List<String> exits = lines.stream().filter(l -> l.startsWith("/exit")).toList();
        assertThat(exits).as("%s ends with /exit <code>, so jshell exits with the verdict", script.getFileName())
                .hasSize(1);
        assertThat(lines.stream().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("")).startsWith("/exit ");
        String exitExpression = exits.get(0).substring("/exit".length()).strip();
        assertThat(exitExpression).as("the /exit carries a code").isNotEmpty();

        String source = lines.stream().filter(l -> !l.startsWith("/")).collect(Collectors.joining("\n"));
        try (JShell shell = JShell.builder().executionEngine("local").out(System.out).err(System.err).build()) {
            shell.addToClasspath(JAR.toString());
            // What the jshell tool imports by itself (its DEFAULT startup); the JShell API does not.
            for (String pkg : List.of("java.io", "java.math", "java.net", "java.nio.file", "java.util",
                    "java.util.concurrent", "java.util.function", "java.util.prefs", "java.util.regex", "java.util.stream")) {
                shell.eval("import " + pkg + ".*;");
            }
            SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
            StringBuilder body = new StringBuilder();
            List<String> problems = new ArrayList<>();
            // Split as the jshell tool does: it reads line by line and ends a snippet as soon as the
            // lines so far are complete, so `x = a ? b` followed by `: c` on the next line is two
            // snippets there (the first completed with a ';'), not one. Splitting the whole text at
            // once would accept scripts that jshell itself rejects.
            String pending = "";
            for (String line : (source + "\n").lines().toList()) {
                pending = pending + line + "\n";
                while (!pending.isBlank()) {
                    SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(pending);
                    if (!info.completeness().isComplete()) {
                        break;
                    }
                    String snippet = info.source();
                    pending = info.remaining();
                    if (snippet == null || snippet.isBlank()) {
                        continue;
                    }
                    Snippet.Kind kind = analysis.sourceToSnippets(snippet).get(0).kind();
                    if (kind == Snippet.Kind.IMPORT || kind == Snippet.Kind.METHOD || kind == Snippet.Kind.TYPE_DECL) {
                        problems.addAll(evaluate(shell, snippet)); // declarations run nothing
                    } else {
                        body.append(snippet).append('\n');
                    }
                }
            }
            if (!pending.isBlank()) {
                problems.add("incomplete snippet at: " + pending.strip().lines().findFirst().orElse(""));
            }
            body.append("int exitCode__ = ").append(exitExpression).append(";\n");
            problems.addAll(evaluate(shell, "void script__() {\n" + body + "}"));
            assertThat(problems).as("compile problems in %s", script.getFileName()).isEmpty();
        }
    }

    private static List<String> evaluate(JShell shell, String snippet) {
        List<String> problems = new ArrayList<>();
        for (SnippetEvent event : shell.eval(snippet)) {
            if (event.exception() != null) {
                problems.add(event.exception().toString());
            }
            if (event.snippet() != null && event.status() != Snippet.Status.VALID) {
                shell.diagnostics(event.snippet()).forEach(d -> problems.add(
                        d.getMessage(java.util.Locale.ROOT) + " in: " + event.snippet().source().lines().findFirst().orElse("")));
                if (event.snippet() instanceof jdk.jshell.DeclarationSnippet declaration) {
                    shell.unresolvedDependencies(declaration).forEach(u -> problems.add(
                            "cannot find " + u + " in: " + declaration.source().lines().findFirst().orElse("")));
                }
            }
        }
        return problems;
    }
}
