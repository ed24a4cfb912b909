package dev.faultline.scripts;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

/**
 * Compiles a {@code .jsh} script the way the jshell tool reads it, without running anything, and lists
 * what is wrong. jshell itself prints a compile error, skips that snippet, runs the rest and still exits 0
 * (measured with JDK 17: "cannot find symbol" and "illegal start of expression" both end in exit 0), so a
 * broken script can inject half its faults and report success. {@code scripts/run.sh} runs this first.
 * <p>
 * The script is split as the tool splits it: line by line, a snippet ends as soon as the lines so far
 * are complete, so a chain broken before its dots ({@code x\n  .y()}) is two snippets there, the second an
 * "illegal start of expression". Imports and declarations are evaluated (they run nothing); the statements
 * are compiled as the body of a method that is never called. The class path is the script's own
 * {@code /env --class-path} line, resolved from the working folder, as jshell would.
 * <p>
 * {@code java -cp scripts/target/faultline-scripts.jar dev.faultline.scripts.ScriptCheck my.jsh}: exit 0
 * when it compiles, 2 with one line per problem otherwise.
 */
public final class ScriptCheck {

    static final String CLASS_PATH_COMMAND = "/env --class-path ";

    /** What the jshell tool imports by itself (its DEFAULT startup); the JShell API does not. */
    private static final List<String> DEFAULT_IMPORTS = List.of("java.io", "java.math", "java.net", "java.nio.file",
            "java.util", "java.util.concurrent", "java.util.function", "java.util.prefs", "java.util.regex", "java.util.stream");

    private ScriptCheck() {}

    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: ScriptCheck SCRIPT.jsh...");
            System.exit(2);
        }
        int exit = 0;
        for (String arg : args) {
            List<String> problems = problems(Path.of(arg));
            problems.forEach(p -> System.err.println(arg + ": " + p));
            if (!problems.isEmpty()) {
                exit = 2;
            }
        }
        System.exit(exit);
    }

    /** Everything that would go wrong before the script runs from the working folder; empty when it compiles. */
    public static List<String> problems(Path script) {
        return problems(script, Path.of("").toAbsolutePath());
    }

    /** The same, as if jshell ran in {@code folder} (where the class path line is resolved). */
    public static List<String> problems(Path script, Path folder) {
        String text;
        try {
            text = Files.readString(script);
        } catch (IOException e) {
            return List.of("cannot read " + script + ": " + e.getMessage());
        }
        List<String> lines = text.lines().toList();
        List<String> problems = new ArrayList<>();
        List<String> classPath = lines.stream().filter(l -> l.startsWith(CLASS_PATH_COMMAND))
                .flatMap(l -> java.util.Arrays.stream(l.substring(CLASS_PATH_COMMAND.length()).strip().split(java.io.File.pathSeparator)))
                .map(part -> folder.resolve(part).toString()).toList();
        if (classPath.isEmpty()) {
            problems.add("no '" + CLASS_PATH_COMMAND + "scripts/target/faultline-scripts.jar' line: the script cannot see faultline");
        }
        for (String entry : classPath) {
            if (!Files.exists(Path.of(entry))) {
                problems.add("class path entry " + entry + " does not exist (run from the repository root after "
                        + "mvn -B package -pl scripts -am -DskipTests)");
            }
        }
        List<String> exits = lines.stream().filter(l -> l.startsWith("/exit")).toList();
        String last = lines.stream().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("");
        if (exits.size() != 1 || !last.startsWith("/exit")) {
            problems.add("the script must end with one '/exit <code>' line (without it jshell waits at its prompt, and exits 0)");
        }
        String exitExpression = exits.isEmpty() ? "" : exits.get(0).substring("/exit".length()).strip();
        if (!problems.isEmpty()) {
            return problems;
        }
        // jshell commands (/env, /exit) become blank lines, so that line numbers stay the file's
        String source = lines.stream().map(l -> l.startsWith("/") ? "" : l).collect(Collectors.joining("\n"));
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try (JShell shell = JShell.builder().executionEngine("local").out(quiet).err(quiet).build()) {
            classPath.forEach(shell::addToClasspath);
            DEFAULT_IMPORTS.forEach(pkg -> shell.eval("import " + pkg + ".*;"));
            SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
            StringBuilder body = new StringBuilder();
            String pending = "";
            int lineNumber = 0;
            int snippetStart = 1;
            for (String line : (source + "\n").lines().toList()) {
                lineNumber++;
                if (pending.isBlank()) {
                    snippetStart = lineNumber;
                }
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
                        problems.addAll(evaluate(shell, snippet, snippetStart));
                    } else {
                        // one line per snippet, so the method's line numbers map back through the comment
                        body.append("/*line ").append(snippetStart).append("*/ ").append(snippet).append('\n');
                    }
                    snippetStart = lineNumber;
                }
            }
            if (!pending.isBlank()) {
                problems.add("line " + snippetStart + ": incomplete at the end of the script: "
                        + pending.strip().lines().findFirst().orElse(""));
            }
            body.append("int exitCode__ = ").append(exitExpression).append(";\n");
            problems.addAll(evaluate(shell, "void script__() {\n" + body + "}", 0));
        }
        return problems;
    }

    private static List<String> evaluate(JShell shell, String snippet, int line) {
        List<String> problems = new ArrayList<>();
        for (SnippetEvent event : shell.eval(snippet)) {
            if (event.exception() != null) {
                problems.add(where(line) + event.exception());
            }
            if (event.snippet() != null && event.status() != Snippet.Status.VALID) {
                shell.diagnostics(event.snippet()).forEach(d -> problems.add(where(line, event.snippet().source(),
                        (int) d.getStartPosition()) + d.getMessage(Locale.ROOT)));
                if (event.snippet() instanceof DeclarationSnippet declaration) {
                    shell.unresolvedDependencies(declaration).forEach(u -> problems.add(unresolved(line, declaration.source(), u)));
                }
            }
        }
        return problems;
    }

    /** "cannot find variable x", at the first line that names x. */
    private static String unresolved(int line, String source, String dependency) {
        String name = dependency.substring(dependency.lastIndexOf(' ') + 1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b" + java.util.regex.Pattern.quote(name) + "\\b")
                .matcher(source);
        return (m.find() ? where(line, source, m.start()) : where(line)) + "cannot find " + dependency;
    }

    private static String where(int line) {
        return line > 0 ? "line " + line + ": " : "";
    }

    /** The script line of a diagnostic: from the snippet's start, or from the marker inside the method body. */
    private static String where(int line, String source, int position) {
        String before = source.substring(0, Math.max(0, Math.min(position, source.length())));
        String at = source.lines().skip(before.lines().count() - (before.endsWith("\n") || before.isEmpty() ? 0 : 1))
                .findFirst().orElse("").strip();
        if (line > 0) {
            return "line " + line + ": " + at + ": ";
        }
        int marker = before.lastIndexOf("/*line ");
        if (marker >= 0) {
            int end = before.indexOf("*/", marker);
            String n = end > 0 ? before.substring(marker + 7, end) : "?";
            String code = at.replaceFirst("^/\\*line \\d+\\*/ ", "").strip();
            return "line " + n + ": " + code + ": ";
        }
        return at.isEmpty() ? "" : at + ": ";
    }
}
