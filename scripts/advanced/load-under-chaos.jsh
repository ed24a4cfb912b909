// advanced/load-under-chaos.jsh: open-model load with tracked writes while workers die and the database is slow.
//
// Objective: FAULTLINE_RATE requests a second leave on a fixed schedule (half GET /, half
// POST /api/orders/ whose acknowledged ids are read back afterwards). Meanwhile three Gunicorn
// workers are SIGKILLed (at 3, 6 and 9 s) and web -> db traffic is delayed by FAULTLINE_DB_LATENCY_MS
// from 4 s for 8 s (new connections take the delayed path: those of the workers forked after the
// kills). No acknowledged order may be lost, whatever else happens.
//
// Expected results (measured on the demo, see examples' AdvancedScenarios):
//   resilient demo at 50/s: no lost write (about 400 read back); under 1% errors (502s of the killed
//     workers: uncertain, not lost); p99 1.8-6.4 s on the loaded 2-core machine; recovered within
//     1 s of the last fault.                                                           -> HELD, exit 0
//   fragile demo: the same (p99 6.2 s). Its single worker keeps up with 50/s, a killed worker costs a 502 or
//     two, and PostgreSQL commits before the 201: losing writes needs a stack that acknowledges
//     what it did not commit (demo/up.sh lossy fails this scenario with "LOST").       -> HELD, exit 0
//
// Run from the repository root, after `mvn -pl scripts -am package` and `demo/up.sh`:
//   jshell scripts/advanced/load-under-chaos.jsh
// Environment (defaults match the demo on a 2-core machine):
//   FAULTLINE_PROJECT=demo  FAULTLINE_URL=http://localhost:8081/health/  FAULTLINE_WEB_SERVICE=web
//   FAULTLINE_DB_SERVICE=db  FAULTLINE_DB_PORT=5432  FAULTLINE_RATE=50  FAULTLINE_LOAD_SECONDS=20
//   FAULTLINE_DB_LATENCY_MS=50  FAULTLINE_MAX_ERROR_PERCENT=5  FAULTLINE_P99_MS=10000
// Exit codes: 0 every expectation held, 1 an expectation failed, 2 bad parameters / no engine /
// no stack / a fault could not be injected or reverted, 3 refused (not healthy before), 4 aborted,
// 5 inconclusive (a fault measurably reached nothing: see the effect line).

/env --class-path scripts/target/faultline-scripts.jar

import dev.faultline.dsl.Chaos;
import dev.faultline.dsl.ExitCode;
import dev.faultline.dsl.Load;
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
    int rate = ScriptEnv.number("FAULTLINE_RATE", 50, 1, 10_000);
    int seconds = ScriptEnv.seconds("FAULTLINE_LOAD_SECONDS", 20, 12, 3600);
    int latency = ScriptEnv.number("FAULTLINE_DB_LATENCY_MS", 50, 1, 60_000);
    int errors = ScriptEnv.number("FAULTLINE_MAX_ERROR_PERCENT", 5, 1, 100);
    int p99 = ScriptEnv.number("FAULTLINE_P99_MS", 10_000, 1, 600_000);
    System.out.println("Objective: " + rate + " requests/s for " + seconds + " s against " + project.baseUrl()
            + " (GET / and tracked POST /api/orders/), three " + web + " workers SIGKILLed, " + web + " -> " + db
            + " delayed " + latency + " ms for 8 s; expect no lost write, fewer than " + errors
            + "% errors, p99 under " + p99 + " ms, recovery within 30 s.");
    System.out.println("Expected: no lost write and errors under the bound on both demos (HELD, exit 0);"
            + " a stack that acknowledges writes it does not commit fails with LOST (exit 1).");

    ExperimentResult result = project.experiment("load-under-chaos")
            .steadyState(health(200).timeout(Duration.ofSeconds(5)))
            .load(Load.constantRate(rate).perSecond().get("/").post("/api/orders/", "{\"item\": \"faultline\", \"quantity\": 1}").trackWrites("/api/orders/{id}/")
                    .lasting(Duration.ofSeconds(seconds)))
            .fault(project.on(web).killWorker(), at(Duration.ofSeconds(3)))
            .fault(project.on(web).delay(Duration.ofMillis(latency)).to(db, dbPort), at(Duration.ofSeconds(4)),
                    lasting(Duration.ofSeconds(8)))
            .fault(project.on(web).killWorker(), at(Duration.ofSeconds(6)))
            .fault(project.on(web).killWorker(), at(Duration.ofSeconds(9)))
            .expect(noLostWrites(), errorRateBelow(errors / 100.0), p99Below(Duration.ofMillis(p99)),
                    recoveredWithin(Duration.ofSeconds(30)))
            .sampleEvery(Duration.ofMillis(500))
            .abortWhen(errorRateAbove(0.9).lasting(Duration.ofSeconds(10)))
            .run();

    System.out.println(result.table());
    code = ExitCode.of(result);
} catch (Throwable t) {
    code = ExitCode.of(t);
}
/exit code
