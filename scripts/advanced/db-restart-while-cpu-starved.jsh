// advanced/db-restart-while-cpu-starved.jsh: two components fail at once.
//
// Objective: web is starved of CPU (burners in its own cgroup) and, 2 s into that, the database
// crashes (SIGKILL to the postmaster from outside its container, as the OOM killer or a host
// fault would) and has to be restarted by Docker while Gunicorn barely gets the CPU to reconnect.
// (A `docker restart` instead could not tell the demo's configurations apart: see AdvancedScenarios.)
//
// Expected results (measured on the demo, see examples' AdvancedScenarios):
//   resilient demo: Docker restarts db (crash recovery), /health/ answers 200 again within 30 s,
//     fewer than 50% of the checks fail, none once db accepts connections again. -> HELD, exit 0
//   fragile demo: db exited with 137 and is not restarted (restart policy 'no'); /health/ stays 503.
//                                                                                 -> FAILED, exit 1
//
// Run from the repository root, after `mvn -pl scripts -am package` and `demo/up.sh`:
//   jshell scripts/advanced/db-restart-while-cpu-starved.jsh
// Environment (defaults match the demo):
//   FAULTLINE_PROJECT=demo  FAULTLINE_URL=http://localhost:8081/health/  FAULTLINE_WEB_SERVICE=web
//   FAULTLINE_DB_SERVICE=db  FAULTLINE_DB_PORT=5432  FAULTLINE_BURNERS=2  FAULTLINE_FAULT_SECONDS=15
//   FAULTLINE_RECOVERY_SECONDS=30  FAULTLINE_MAX_ERROR_PERCENT=50
// Exit codes: 0 every expectation held, 1 an expectation failed, 2 bad parameters / no engine /
// no stack / a fault could not be injected or reverted, 3 refused (not healthy before), 4 aborted,
// 5 inconclusive (a fault measurably reached nothing: see the effect line).

/env --class-path scripts/target/faultline-scripts.jar

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
    int burners = ScriptEnv.number("FAULTLINE_BURNERS", 2, 1, 64);
    int seconds = ScriptEnv.seconds("FAULTLINE_FAULT_SECONDS", 15, 3, 3600);
    int recovery = ScriptEnv.seconds("FAULTLINE_RECOVERY_SECONDS", 30, 1, 3600);
    int errors = ScriptEnv.number("FAULTLINE_MAX_ERROR_PERCENT", 50, 1, 100);
    System.out.println("Objective: " + burners + " CPU burners in " + web + " for " + seconds + " s, and " + db
            + " crashes 2 s into it and must be restarted by Docker (project " + project.name().orElse("?") + "); expect " + project.healthUrl()
            + " to answer 200 again within " + recovery + " s, fewer than " + errors + "% failed checks, and none once "
            + db + " accepts connections again.");
    System.out.println("Expected: resilient demo: Docker restarts db and the stack recovers (HELD, exit 0);\n"
            + "          fragile demo: db stays exited, restart policy 'no' (FAILED, exit 1).");

    ExperimentResult result = project.experiment("db-restart-while-cpu-starved")
            .steadyState(health(200).timeout(Duration.ofSeconds(5)))
            .fault(project.on(web).stressCpu(burners), at(Duration.ofSeconds(2)), lasting(Duration.ofSeconds(seconds)))
            .fault(project.on(db).kill(), at(Duration.ofSeconds(4)))
            .expect(recoveredWithin(Duration.ofSeconds(recovery)), errorRateBelow(errors / 100.0),
                    noErrorsOnceAccepting(db, dbPort))
            .sampleEvery(Duration.ofMillis(500))
            .afterRecovery(Duration.ofSeconds(5))
            .run();

    System.out.println(result.table());
    code = ExitCode.of(result);
} catch (Throwable t) {
    code = ExitCode.of(t);
}
/exit code
