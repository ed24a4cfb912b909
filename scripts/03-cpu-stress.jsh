// 03-cpu-stress.jsh: the seed's experiment #3, starve Gunicorn of CPU.
//
// Objective: two CPU burners run inside the web container's own cgroup for 20 s, competing
// with Gunicorn's workers. Requests get slower; they must not time out or fail.
//
// Expected results:
//   resilient demo: /health/ keeps answering; p99 stays under 2 s and fewer than 5% of the
//     checks fail; the steady state holds again right after the burners stop.
//                                                             -> HELD, exit 0
//   on a slower machine, or with more burners than cores, p99 or the error rate goes over its
//     bound and the verdict says by how much.                 -> FAILED, exit 1
//
// Run from the repository root, after `mvn -pl scripts -am package` and `demo/up.sh`:
//   jshell scripts/03-cpu-stress.jsh
// Environment (defaults match the demo):
//   FAULTLINE_PROJECT=demo  FAULTLINE_URL=http://localhost:8081/health/  FAULTLINE_WEB_SERVICE=web
//   FAULTLINE_BURNERS=2  FAULTLINE_FAULT_SECONDS=20  FAULTLINE_P99_MS=2000  FAULTLINE_MAX_ERROR_PERCENT=5
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
    int burners = ScriptEnv.number("FAULTLINE_BURNERS", 2, 1, 64);
    int seconds = ScriptEnv.seconds("FAULTLINE_FAULT_SECONDS", 20, 1, 3600);
    int p99 = ScriptEnv.number("FAULTLINE_P99_MS", 2000, 1, 600_000);
    int errors = ScriptEnv.number("FAULTLINE_MAX_ERROR_PERCENT", 5, 1, 100);
    System.out.println("Objective: 03 CPU stress: " + burners + " burners in " + web + " for " + seconds + " s in project "
            + project.name().orElse("?") + "; expect p99 of " + project.healthUrl() + " under " + p99
            + " ms and fewer than " + errors + "% failed checks.");
    System.out.println("Expected: requests slow down but p99 and the error rate stay under their bounds (HELD, exit 0).");

    ExperimentResult result = project.experiment("cpu-stress")
            .steadyState(health(200).timeout(Duration.ofMillis(Math.max(3000, p99 * 2L))))
            .fault(project.on(web).stressCpu(burners), at(Duration.ofSeconds(3)), lasting(Duration.ofSeconds(seconds)))
            .expect(p99Below(Duration.ofMillis(p99)), errorRateBelow(errors / 100.0), recoveredWithin(Duration.ofSeconds(30)))
            .sampleEvery(Duration.ofMillis(200))
            .run();

    System.out.println(result.table());
    code = ExitCode.of(result);
} catch (Throwable t) {
    code = ExitCode.of(t);
}
/exit code
