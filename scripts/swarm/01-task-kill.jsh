// swarm/01-task-kill.jsh: crash one task of a replicated swarm service under load.
//
// Objective: the stack runs on a Docker Swarm with 2 web replicas behind nginx. One web task's main
// process dies the way a crash kills it (SIGKILL from outside its container, sent on the node that runs
// it). The swarm replaces the task with a new container; meanwhile nginx must send every request to the
// other replica. This tests "another replica kept serving" and measures how long the swarm takes to have
// both replicas running again.
//
// Expected results (the demo stack of demo/swarm/stack.yml, on the test swarm of `make swarm-demo`):
//   not one request fails (nginx retries a request that reached the dead task on the other replica, so
//   such a request is slow, about 2 s, not failed); web has its 2 replicas running again within 90 s
//   (measured here: about 10 s, most of it the new task's start and healthcheck)   -> HELD, exit 0
//   with 1 replica (scale web to 1 first), requests fail until the swarm replaced it  -> FAILED, exit 1
//
// Run from the repository root, after `make swarm-demo` (it prints the exports below):
//   export FAULTLINE_SWARM=tcp://<manager>:2375 FAULTLINE_URL=http://<manager>:8080/health/ \
//          FAULTLINE_SWARM_MACHINES='<node>=<container> ...'
//   jshell scripts/swarm/01-task-kill.jsh
// Environment: FAULTLINE_SWARM (required), FAULTLINE_URL (the published /health/), FAULTLINE_STACK=shop,
//   FAULTLINE_WEB_SERVICE=web, FAULTLINE_RATE=20 (requests/s), FAULTLINE_REPLICAS_SECONDS=90
// Exit codes: 0 every expectation held, 1 an expectation failed, 2 bad parameters / no engine /
// no stack / a fault could not be injected or reverted, 3 refused (not healthy before), 4 aborted.

/env --class-path scripts/target/faultline-scripts.jar

import dev.faultline.dsl.Chaos;
import dev.faultline.dsl.ExitCode;
import dev.faultline.dsl.Load;
import dev.faultline.dsl.Project;
import dev.faultline.dsl.ScriptEnv;
import dev.faultline.core.experiment.ExperimentResult;
import java.time.Duration;
import static dev.faultline.dsl.Chaos.at;
import static dev.faultline.dsl.Expectations.noFailedRequests;
import static dev.faultline.dsl.Expectations.replicasBackWithin;
import static dev.faultline.dsl.Probes.health;

int code = ExitCode.UNUSABLE;
try {
    Project stack = Chaos.stack(ScriptEnv.text("FAULTLINE_STACK", "shop"));
    String web = ScriptEnv.text("FAULTLINE_WEB_SERVICE", "web");
    int rate = ScriptEnv.number("FAULTLINE_RATE", 20, 1, 10_000);
    int back = ScriptEnv.seconds("FAULTLINE_REPLICAS_SECONDS", 90, 1, 3600);
    System.out.println("Objective: swarm 01 task kill: crash one task of " + web + " in stack " + stack.name().orElse("?")
            + " under " + rate + " requests/s through " + stack.baseUrl() + "; expect no failed request and "
            + web + "'s replicas running again within " + back + " s.");
    System.out.println("Expected: with 2 replicas nginx keeps serving from the other one (HELD, exit 0);"
            + " with 1 replica requests fail until the swarm replaced it (FAILED, exit 1).");

    ExperimentResult result = stack.experiment("swarm-task-kill")
            // 5 s: a request that reached the dead task waits nginx's 2 s connect timeout, then is retried
            .steadyState(health(200).timeout(Duration.ofSeconds(5)))
            .load(Load.constantRate(rate).perSecond().get("/health/").lasting(Duration.ofSeconds(back + 10)))
            .fault(stack.on(web).killOne(), at(Duration.ofSeconds(3)))
            .expect(noFailedRequests(), replicasBackWithin(web, Duration.ofSeconds(back)))
            .run();

    System.out.println(result.table());
    code = ExitCode.of(result);
} catch (Throwable t) {
    code = ExitCode.of(t);
}
/exit code
