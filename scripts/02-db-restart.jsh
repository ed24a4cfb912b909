// 02-db-restart.jsh: the seed's experiment #2, restart the database.
//
// Objective: PostgreSQL restarts (stop, then start, through the Docker API) under the app. The app
// must come back by itself, and once the database accepts connections again no request may fail:
// Django must not keep using a connection the restart closed.
//
// How: /health/ (which queries the database) is checked every 8 s, and db:5432 every 100 ms to
// know when the database accepts connections again. The restart comes 0.5 s after a check, so no
// request reaches web while the database is down, and the next check is the first request after
// the database is back: the one that meets the connection the restart closed, if Django kept it.
// Why no traffic during the outage: a request that meets the stale connection while the database
// is down fails there (indistinguishable from the outage) and Django drops the connection, so
// nothing fails afterwards. Measured: under steady load (5 GET /health/ a second) the fragile demo
// failed only during the outage and held "no errors once db accepted connections again". The 8 s
// period leaves 7.5 s for the restart; it took 0.6–2.6 s (restart to accepting) in 9 runs on a
// loaded 2-core machine.
//
// Expected results (measured with these defaults, 3 runs each, on a 2-core machine loaded by
// other builds; restart to accepting connections took 0.6–1.8 s):
//   resilient demo (CONN_HEALTH_CHECKS on, restart policies): /health/ answers 200 again within
//     30 s, and no check fails once the database accepts connections (0 of 2 in each run).
//                                                             -> HELD, exit 0
//   fragile demo (persistent connections without health checks, one worker): the first check after
//     the database is back fails with a 503 on the connection the restart closed, on every run
//     (1 of 3 checks, 1 × 503, each run); the verdict on "no errors once db accepted connections
//     again" says how many and which.                         -> FAILED, exit 1
//
// Run from the repository root, after `mvn -pl scripts -am package` and `demo/up.sh`:
//   jshell scripts/02-db-restart.jsh
// Environment (defaults match the demo):
//   FAULTLINE_PROJECT=demo  FAULTLINE_URL=http://localhost:8081/health/  FAULTLINE_DB_SERVICE=db
//   FAULTLINE_DB_PORT=5432  FAULTLINE_RECOVERY_SECONDS=30  FAULTLINE_AFTER_RECOVERY_SECONDS=6
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
import static dev.faultline.dsl.Probes.health;
import static dev.faultline.dsl.Expectations.*;

int code = ExitCode.UNUSABLE;
try {
    Project project = Chaos.project(ScriptEnv.text("FAULTLINE_PROJECT", "demo"))
            .healthUrl(ScriptEnv.text("FAULTLINE_URL", Project.DEMO_HEALTH_URL));
    String db = ScriptEnv.text("FAULTLINE_DB_SERVICE", "db");
    int recovery = ScriptEnv.seconds("FAULTLINE_RECOVERY_SECONDS", 30, 1, 3600);
    int after = ScriptEnv.seconds("FAULTLINE_AFTER_RECOVERY_SECONDS", 6, 0, 600);
    int dbPort = ScriptEnv.number("FAULTLINE_DB_PORT", 5432, 1, 65535);
    System.out.println("Objective: 02 restart the database: restart " + db + " in project " + project.name().orElse("?")
            + "; expect " + project.healthUrl() + " to answer 200 again within " + recovery
            + " s, and no failed request once " + db + " accepts connections again.");
    System.out.println("Expected: resilient demo: /health/ is back within the bound and no request fails once the database accepts\n"
            + "          connections (HELD, exit 0); fragile demo: the first request after the restart fails on the connection\n"
            + "          the restart closed (FAILED, exit 1). /health/ is checked every 8 s, the restart comes just after a check.");

    ExperimentResult result = project.experiment("db-restart")
            .steadyState(health(200))
            .fault(project.on(db).restart(), at(Duration.ofMillis(8500)))
            .expect(recoveredWithin(Duration.ofSeconds(recovery)), noErrorsOnceAccepting(db, dbPort))
            // Checks far enough apart that none lands while the database is down (see the header).
            .sampleEvery(Duration.ofSeconds(8))
            .afterRecovery(Duration.ofSeconds(after))
            .run();

    System.out.println(result.table());
    result.verdict("no errors once " + db + " accepted connections again").filter(v -> !v.held()).ifPresent(v -> System.out.println(
            "Hint: requests that fail after the database is back usually ran on a connection the restart closed: "
            + "Django keeps connections (CONN_MAX_AGE) and checks them before reuse only with CONN_HEALTH_CHECKS = True."));
    code = ExitCode.of(result);
} catch (Throwable t) {
    code = ExitCode.of(t);
}
/exit code
