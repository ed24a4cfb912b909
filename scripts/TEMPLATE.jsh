// TEMPLATE.jsh: copy this file to write your own experiment script.
//
//   cp scripts/TEMPLATE.jsh scripts/my-experiment.jsh
//   scripts/run.sh scripts/my-experiment.jsh      (checks that it compiles, then runs it with jshell)
//
// What it does as it stands: pauses one service of the stack for a few seconds under a little load,
// and expects the health URL to answer 200 again within the recovery bound.
//
// Four jshell rules this file follows (see "Writing your own JShell script" in README.md):
//   1. The class path line below comes before any faultline import; run from the repository root.
//   2. jshell ends a statement at the first line that is complete on its own. Break a chain AFTER
//      a dot, never before it:   project.experiment("x").        <- the dot ends the line
//                                    steadyState(health(200)).
//      A line starting with ".steadyState(...)" is "illegal start of expression" there.
//   3. A compile error does not stop jshell: it prints "Error:", skips that statement, runs the rest
//      and still exits 0. scripts/run.sh checks the whole script first and exits 2 instead.
//   4. jshell does not exit by itself at the end of a file: the last line is /exit with the code.
//
// Parameters (environment):
//   FAULTLINE_PROJECT   Compose project (default: found as Compose finds it, e.g. the folder's name)
//   FAULTLINE_URL       health URL (default http://localhost:8081/health/)
//   MY_SERVICE          the service to pause (default web)
//   MY_PAUSE_SECONDS    how long it stays paused, 1..300 (default 5)
// Exit codes: 0 every expectation held, 1 an expectation failed, 2 bad parameters / no engine / no
// stack / a fault could not be injected or reverted, 3 refused (not steady before), 4 aborted.

/env --class-path scripts/target/faultline-scripts.jar

import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.dsl.Chaos;
import dev.faultline.dsl.ExitCode;
import dev.faultline.dsl.Load;
import dev.faultline.dsl.Project;
import dev.faultline.dsl.ScriptEnv;
import java.time.Duration;
import static dev.faultline.dsl.Chaos.at;
import static dev.faultline.dsl.Chaos.lasting;
import static dev.faultline.dsl.Expectations.recoveredWithin;
import static dev.faultline.dsl.Probes.health;

// Parameters come from environment variables through ScriptEnv, inside the try block below: each is
// checked before anything is touched, and a refusal names the variable and its range. (Prefer it to a
// helper method of your own: jshell compiles every method a script declares before the run starts.)

// Every statement inside one try block, so any failure becomes an exit code instead of a stack trace.
int code = ExitCode.UNUSABLE;
try {
    Project project = Chaos.project().healthUrl(ScriptEnv.text("FAULTLINE_URL", Project.DEMO_HEALTH_URL));
    String service = ScriptEnv.text("MY_SERVICE", "web");
    int pause = ScriptEnv.seconds("MY_PAUSE_SECONDS", 5, 1, 300);
    System.out.println("Objective: pause " + service + " for " + pause + " s; expect " + project.healthUrl()
            + " to answer 200 again within 30 s of the unpause.");

    ExperimentResult result = project.experiment("my-experiment").
            steadyState(health(200)).
            load(Load.constantRate(2).perSecond().get("/")).
            fault(project.on(service).pause(), at(Duration.ofSeconds(2)), lasting(Duration.ofSeconds(pause))).
            expect(recoveredWithin(Duration.ofSeconds(30))).
            run();

    System.out.println(result.table());
    code = ExitCode.of(result);
} catch (Throwable t) {
    code = ExitCode.of(t);
}
/exit code
