// advanced/connection-exhaustion-cascade.jsh: a database limit cascades through Gunicorn to nginx.
//
// Objective: every PostgreSQL connection slot is taken for FAULTLINE_FAULT_SECONDS (from 2 s), and
// every Gunicorn worker is recycled meanwhile (all SIGKILLed at 3 s), as a crash or the OOM killer
// recycles them in production. A new worker cannot connect (SQLSTATE 53300): Django fails,
// /health/ answers 503, and nginx hands the errors to users. A resilient stack must answer again
// within FAULTLINE_RECOVERY_SECONDS of the slots being freed, with no request failing once the
// database accepts connections again.
//
// Expected results (measured on the demo, see examples' AdvancedScenarios):
//   resilient demo: errors while the slots are taken, then 200 again right after they are freed.
//                                                                          -> HELD, exit 0
//   fragile demo: the same cascade, and the same recovery: Django opens a new connection on the
//     next request after a failed one, whatever CONN_MAX_AGE says.         -> HELD, exit 0
//
// Run from the repository root, after `mvn -pl scripts -am package` and `demo/up.sh`:
//   jshell scripts/advanced/connection-exhaustion-cascade.jsh
// Environment (defaults match the demo):
//   FAULTLINE_PROJECT=demo  FAULTLINE_URL=http://localhost:8081/health/  FAULTLINE_WEB_SERVICE=web
//   FAULTLINE_DB_SERVICE=db  FAULTLINE_DB_PORT=5432  FAULTLINE_DB_NAME=demo  FAULTLINE_DB_USER=demo
//   FAULTLINE_DB_PASSWORD=demo  FAULTLINE_FAULT_SECONDS=10  FAULTLINE_RECOVERY_SECONDS=15
// Exit codes: 0 every expectation held, 1 an expectation failed, 2 bad parameters / no engine /
// no stack / a fault could not be injected or reverted, 3 refused (not healthy before), 4 aborted,
// 5 inconclusive (a fault measurably reached nothing: see the effect line).

/env --class-path scripts/target/faultline-scripts.jar

import dev.faultline.core.fault.DatabaseLogin;
import dev.faultline.dsl.Chaos;
import dev.faultline.dsl.ExitCode;
import dev.faultline.dsl.Project;
import dev.faultline.dsl.ScriptEnv;
import dev.faultline.core.experiment.ExperimentResult;
import java.time.Duration;
import static dev.faultline.dsl.Chaos.at;
import static dev.faultline.dsl.Chaos.lasting;
import static dev.faultline.dsl.Probes.health;
import static dev.faultline.dsl.Expectations.*;

int code = ExitCode.UNUSABLE;
try {
    Project project = Chaos.project(ScriptEnv.text("FAULTLINE_PROJECT", "demo"))
            .healthUrl(ScriptEnv.text("FAULTLINE_URL", Project.DEMO_HEALTH_URL));
    String web = ScriptEnv.text("FAULTLINE_WEB_SERVICE", "web");
    String db = ScriptEnv.text("FAULTLINE_DB_SERVICE", "db");
    int dbPort = ScriptEnv.number("FAULTLINE_DB_PORT", 5432, 1, 65535);
    int seconds = ScriptEnv.seconds("FAULTLINE_FAULT_SECONDS", 10, 3, 3600);
    int recovery = ScriptEnv.seconds("FAULTLINE_RECOVERY_SECONDS", 15, 1, 3600);
    System.out.println("Objective: " + db + "'s connection slots taken for " + seconds + " s while " + web
            + "'s workers are recycled (project " + project.name().orElse("?") + "); expect " + project.healthUrl()
            + " to answer 200 again within " + recovery + " s of the slots being freed, and no failure once "
            + db + " accepts connections again.");
    System.out.println("Expected: errors while exhausted on both demos, then recovery: HELD, exit 0.");

    ExperimentResult result = project.experiment("connection-exhaustion-cascade")
            .steadyState(health(200).timeout(Duration.ofSeconds(5)))
            .fault(project.on(db).exhaustConnections(DatabaseLogin.of(ScriptEnv.text("FAULTLINE_DB_NAME", "demo"),
                    ScriptEnv.text("FAULTLINE_DB_USER", "demo"), ScriptEnv.text("FAULTLINE_DB_PASSWORD", "demo"))),
                    at(Duration.ofSeconds(2)), lasting(Duration.ofSeconds(seconds)))
            .fault(project.on(web).killWorkers(), at(Duration.ofSeconds(3)))
            .expect(recoveredWithin(Duration.ofSeconds(recovery)), noErrorsOnceAccepting(db, dbPort))
            .sampleEvery(Duration.ofMillis(500))
            .afterRecovery(Duration.ofSeconds(5))
            .run();

    System.out.println(result.table());
    code = ExitCode.of(result);
} catch (Throwable t) {
    code = ExitCode.of(t);
}
/exit code
