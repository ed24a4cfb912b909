// game-day.jsh: the seed experiments and the advanced scenarios in order, then a suite summary.
//
// Objective: one command for a game day (and for the weekly scheduled run, docs/scheduling.md):
// 01 kill Gunicorn, 02 restart the database, 03 starve web of CPU, 04 slow web -> db, then the
// advanced scenarios (db restart while CPU-starved, load plus chaos with tracked writes, connection
// exhaustion cascading to nginx). Between experiments the stack is restored to its state at the start
// (what an experiment left exited, paused or unhealthy is brought back; the output says what was
// done; FAULTLINE_RESTORE=off skips it). Before each experiment the stack must be steady: /health/
// answers 200 within FAULTLINE_STEADY_SECONDS. When it does not, the rest are not run, the summary
// says why, and they count as refused.
//
// Expected results:
//   resilient demo: every experiment holds.                                    -> exit 0
//   fragile demo: 01 fails (web is not restarted; the restore starts it again), 02 and 04 fail for
//     their own reasons, each on a restored stack.                             -> exit 1
//
// Run from the repository root, after `mvn -pl scripts -am package` and `demo/up.sh`:
//   jshell scripts/game-day.jsh          (or: make game-day)
// Environment:
//   FAULTLINE_PROJECT=demo  FAULTLINE_URL=http://localhost:8081/health/
//   FAULTLINE_ONLY=01,adv-load   only the experiments whose id starts so (01 02 03 04 adv-multi adv-load adv-cascade)
//   FAULTLINE_RATE=50            requests a second for adv-load
//   FAULTLINE_STEADY_SECONDS=60  how long to wait for a steady stack before each experiment
//   FAULTLINE_RESTORE=on         off: no restore between experiments
//   FAULTLINE_REPORTS=reports/results   each game day writes <folder>/suite-<yyyyMMdd-HHmmss>/: every
//     experiment's report folder, the suite index (index.html, index.md, junit.xml) with the trend
//     across game days, and suite.tsv (read back for the trend); "off": no folder, no reports
// Exit code: the worst outcome, worst first: 1 an expectation failed, 2 an experiment could not
// run, 4 aborted, 3 refused (the stack was not steady), 5 inconclusive (a fault reached nothing),
// 0 every experiment held.

/env --class-path scripts/target/faultline-scripts.jar

import dev.faultline.dsl.Chaos;
import dev.faultline.dsl.ExitCode;
import dev.faultline.dsl.Project;
import dev.faultline.dsl.ScriptEnv;
import dev.faultline.examples.advanced.GameDay;
import java.nio.file.Path;
import java.time.Duration;

int code = ExitCode.UNUSABLE;
try {
    Project project = Chaos.project(ScriptEnv.text("FAULTLINE_PROJECT", "demo"))
            .healthUrl(ScriptEnv.text("FAULTLINE_URL", Project.DEMO_HEALTH_URL));
    String reports = ScriptEnv.text("FAULTLINE_REPORTS", "reports/results");
    GameDay gameDay = GameDay.demo(project, ScriptEnv.number("FAULTLINE_RATE", 50, 1, 10_000))
            .only(ScriptEnv.text("FAULTLINE_ONLY", ""))
            .steadyWithin(Duration.ofSeconds(ScriptEnv.seconds("FAULTLINE_STEADY_SECONDS", 60, 1, 3600)));
    if (!reports.equalsIgnoreCase("off")) gameDay = gameDay.resultsIn(Path.of(reports));
    if (!dev.faultline.core.cli.Settings.fromEnvironment().restore()) gameDay = gameDay.withoutRestore();
    System.out.println("Objective: game day against project " + project.name().orElse("?") + " (" + project.healthUrl()
            + "): " + gameDay.steps().stream().map(s -> s.id() + " " + s.name()).toList() + ", each on a steady stack.");
    System.out.println("Expected: resilient demo: every experiment holds (exit 0); fragile demo: 01, 02 and 04 fail for"
            + " their own reasons, the stack restored in between (exit 1).");
    code = gameDay.run(System.out).exitCode();
} catch (Throwable t) {
    code = ExitCode.of(t);
}
/exit code
