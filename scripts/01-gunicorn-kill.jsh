// 01-gunicorn-kill.jsh: the seed's experiment #1, kill Gunicorn.
//
// Objective: the web container's main process (the Gunicorn master, PID 1) dies the way a crash
// kills it: SIGKILL from outside the container. Docker did not cause that exit, so the
// container's restart policy decides what happens next. That policy is what this tests.
//
// Expected results:
//   resilient demo (restart: unless-stopped): Docker restarts web; GET /health/ answers 200 again
//     within 30 s; nginx answers 502 in between.              -> HELD, exit 0
//   fragile demo (no restart policy): web stays exited with 137; /health/ keeps failing; the
//     verdict says "web exited with 137 and was not restarted: its restart policy is 'no'".
//                                                             -> FAILED, exit 1
//
// Run from the repository root, after `mvn -pl scripts -am package` and `demo/up.sh`:
//   jshell scripts/01-gunicorn-kill.jsh
// Environment (defaults match the demo):
//   FAULTLINE_PROJECT=demo  FAULTLINE_URL=http://localhost:8081/health/  FAULTLINE_WEB_SERVICE=web
//   FAULTLINE_RECOVERY_SECONDS=30
// Exit codes: 0 every expectation held, 1 an expectation failed, 2 bad parameters / no engine /
// no stack / a fault could not be injected or reverted, 3 refused (not healthy before), 4 aborted,
// 5 inconclusive (a fault measurably reached nothing: see the effect line).

/env --class-path scripts/target/faultline-scripts.jar

import dev.faultline.dsl.Chaos;
import dev.faultline.dsl.ExitCode;
import dev.faultline.dsl.Project;
import dev.faultline.dsl.ScriptEnv;
import dev.faultline.core.experiment.ExperimentResult;
import static dev.faultline.dsl.Probes.health;

int code = ExitCode.UNUSABLE;
try {
    Project project = Chaos.project(ScriptEnv.text("FAULTLINE_PROJECT", "demo"))
            .healthUrl(ScriptEnv.text("FAULTLINE_URL", Project.DEMO_HEALTH_URL));
    String web = ScriptEnv.text("FAULTLINE_WEB_SERVICE", "web");
    int recovery = ScriptEnv.seconds("FAULTLINE_RECOVERY_SECONDS", 30, 1, 3600);
    System.out.println("Objective: 01 kill Gunicorn: crash " + web + "'s main process in project " + project.name().orElse("?")
            + "; expect " + project.healthUrl() + " to answer 200 again within " + recovery + " s (Docker's restart policy).");
    System.out.println("Expected: resilient demo: Docker restarts web and /health/ answers 200 again within the bound (HELD, exit 0);\n"
            + "          fragile demo: web stays exited with 137, restart policy 'no' (FAILED, exit 1).");

    ExperimentResult result = project.on(web).kill().expect(health(200)).within(java.time.Duration.ofSeconds(recovery));

    System.out.println(result.table());
    code = ExitCode.of(result);
} catch (Throwable t) {
    code = ExitCode.of(t);
}
/exit code
