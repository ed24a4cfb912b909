// run-all.jsh: the seed's four experiments in order, each in its own jshell, then a summary.
//
// Objective: one command (`make demo`) that shows, against the running demo stack, how it
// survives a crashed Gunicorn (01), a restarted database (02), a starved CPU (03) and a slow
// network between Django and PostgreSQL (04).
//
// Between experiments the stack is restored to its state before the first: what an experiment left
// exited, paused or unhealthy is brought back, a fault left behind is undone, and the output says
// what was done (FAULTLINE_RESTORE=off skips it). So each experiment gets its own verdict.
//
// Expected results: on the resilient demo every experiment holds (exit 0). On the fragile demo
// 01 fails (web is not restarted; the restore starts it again), 02 and 04 fail for their own
// reasons, 03 holds (exit 1).
//
// Run from the repository root: jshell scripts/run-all.jsh
// Environment: everything the four scripts read (FAULTLINE_PROJECT, FAULTLINE_URL, ...), passed on;
//   FAULTLINE_ONLY=01,03 runs only those.
//   FAULTLINE_RESTORE=off: no restore between experiments.
//   FAULTLINE_REPORTS=<folder> (default reports/results) or off: the suite's folder
//   <folder>/suite-<yyyyMMdd-HHmmss>/ holds each experiment's run folder and an index
//   (index.md, index.html, junit.xml). With FAULTLINE_SLACK_WEBHOOK / FAULTLINE_WEBHOOK_URL set,
//   one message for the whole suite is sent (the experiments themselves send none).
// Exit code: 0 when all held, else the first non-zero exit code of an experiment
// (1 failed, 2 unusable, 3 refused, 4 aborted, 5 inconclusive: a fault measurably reached nothing).

/env --class-path scripts/target/faultline-scripts.jar

import java.nio.file.Files;
import java.nio.file.Path;

List<String> experiments = List.of("01-gunicorn-kill", "02-db-restart", "03-cpu-stress", "04-network-delay");
String jshell = Path.of(System.getProperty("java.home"), "bin", "jshell").toString();
String describe(int code) {
    return switch (code) {
        case 0 -> "held";
        case 1 -> "FAILED";
        case 2 -> "could not run";
        case 3 -> "refused (not healthy before)";
        case 4 -> "aborted";
        case 5 -> "INCONCLUSIVE (a fault reached nothing)";
        default -> "exit " + code;
    };
}

int code = 0;
Map<String, Integer> results = new LinkedHashMap<>();
Path suite = null;
dev.faultline.core.restore.StackRestore restore = null;
try {
    dev.faultline.core.cli.Settings settings = dev.faultline.core.cli.Settings.fromEnvironment();
    String only = String.join(",", settings.only());
    // An if block, not a ternary over several lines: jshell ends a statement at the first line that
    // looks complete, and it takes "x = a ? b :" for one.
    if (settings.reports().map(r -> !r.off()).orElse(true)) {
        suite = settings.reports().flatMap(r -> r.folder()).orElse(Path.of("reports/results")).resolve("suite-"
                + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(java.time.ZoneOffset.UTC)
                        .format(java.time.Instant.now()));
    }
    // Captured before the first experiment, brought back before each of the others.
    if (settings.restore()) {
        try {
            restore = dev.faultline.dsl.Chaos.project().captureState();
            System.out.println("restore: between experiments the stack goes back to its state now: " + restore.captured()
                    + " (FAULTLINE_RESTORE=off skips this)");
        } catch (RuntimeException e) {
            System.out.println("restore: cannot capture the stack (" + e.getMessage() + "); each experiment runs on the"
                    + " stack the one before left");
        }
    }
    for (String name : experiments) {
        if (!only.isEmpty() && Arrays.stream(only.split(",")).map(String::strip).noneMatch(name::startsWith)) continue;
        Path script = Path.of("scripts", name + ".jsh");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("no " + script + ": run from the repository root");
        }
        if (restore != null && !results.isEmpty()) {
            System.out.println("\n=== restore before " + name + " ===");
            try {
                restore.restore().lines().forEach(System.out::println);
            } catch (RuntimeException e) {
                System.out.println("restore: " + e.getMessage());
            }
        }
        System.out.println("\n=== " + name + " ===");
        // Copied through this JVM: jshell runs this code in an agent whose own stdout is not the terminal.
        ProcessBuilder builder = new ProcessBuilder(jshell, script.toString()).redirectErrorStream(true);
        if (suite != null) {
            builder.environment().put("FAULTLINE_REPORTS", suite.toString());
        }
        // one notification for the suite, sent below, rather than one per experiment
        builder.environment().remove("FAULTLINE_SLACK_WEBHOOK");
        builder.environment().remove("FAULTLINE_WEBHOOK_URL");
        Process process = builder.start();
        process.getOutputStream().close();
        try (InputStream out = process.getInputStream()) {
            out.transferTo(System.out);
        }
        int exit = process.waitFor();
        results.put(name, exit);
        if (exit != 0 && code == 0) code = exit;
    }
    System.out.println("\n=== summary ===");
    results.forEach((name, exit) -> System.out.printf("%-20s %s%n", name, describe(exit)));
    long inconclusive = results.values().stream().filter(e -> e == 5).count();
    if (inconclusive > 0) System.out.println(inconclusive + " inconclusive: a fault reached nothing (see each report's effect line)");
    if (suite != null && Files.isDirectory(suite)) {
        List<Path> runs;
        try (var folders = Files.list(suite)) {
            runs = folders.filter(f -> Files.isRegularFile(f.resolve("journal.json"))).sorted().toList();
        }
        var journals = dev.faultline.core.report.Reports.writeIndex(suite, runs);
        System.out.println("reports: " + suite.resolve("index.html") + " (" + runs.size() + " runs)");
        settings.notifier()
                .notifySuite(journals, suite.resolve("index.html").toString())
                .forEach(w -> System.out.println("warning: " + w));
    }
} catch (Throwable t) {
    System.err.println("run-all: " + t);
    code = 2;
}
/exit code
