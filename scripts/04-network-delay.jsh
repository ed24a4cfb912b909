// 04-network-delay.jsh: the seed's experiment #4, a slow network between Django and PostgreSQL.
//
// Objective: every packet web sends to db:5432 answers 500 ms (± 50 ms) late for 10 s. The app
// must stay usable: slower, but without timeouts or 5xx beyond the bounds.
//
// Existing connections: without netem (this kernel has none) the delay is a TCP proxy that a
// netfilter DNAT rule in web's network namespace points new connections at; conntrack keeps
// connections opened before the rule on their direct path. Django keeps its database connection
// open across requests (CONN_MAX_AGE), so without help the delay would reach no query at all.
// This script therefore terminates web's PostgreSQL backends right after injecting the delay
// (SIGTERM to each backend process, what pg_terminate_backend does): every query after that runs
// on a new, delayed connection. How the app copes with that closed connection is part of the test
// (Django's CONN_HEALTH_CHECKS reconnects cleanly; without it the next request fails).
//
// Expected results:
//   resilient demo (3 workers, connection health checks, nginx timeouts and retries): requests
//     slow down to a second or so; fewer than 5% fail; p99 stays under 4 s. (A request in flight
//     at the moment its connection is cut, when the backends are terminated or when the delay is
//     reverted, can fail even here; with ~30 checks, two such failures would cross 5%.)
//                                                             -> HELD, exit 0
//   fragile demo (1 worker, no connection health checks): each cut connection (one when the
//     backends are terminated, one when the delay is reverted) is used once more and fails with a
//     503 ("server closed the connection unexpectedly"): more than 5% of the checks, so the
//     error-rate bound fails, naming the 503s.
//                                                             -> FAILED, exit 1
//
// Run from the repository root, after `mvn -pl scripts -am package` and `demo/up.sh`:
//   jshell scripts/04-network-delay.jsh
// Environment (defaults match the demo):
//   FAULTLINE_PROJECT=demo  FAULTLINE_URL=http://localhost:8081/health/  FAULTLINE_WEB_SERVICE=web
//   FAULTLINE_DB_SERVICE=db  FAULTLINE_DB_PORT=5432  FAULTLINE_LATENCY_MS=500  FAULTLINE_JITTER_MS=50
//   FAULTLINE_FAULT_SECONDS=10  FAULTLINE_P99_MS=4000  FAULTLINE_MAX_ERROR_PERCENT=5
//   FAULTLINE_DB_BACKENDS='postgres: demo demo' (process titles of the app's database backends)
// Exit codes: 0 every expectation held, 1 an expectation failed, 2 bad parameters / no engine /
// no stack / a fault could not be injected or reverted, 3 refused (not healthy before), 4 aborted.

/env --class-path scripts/target/faultline-scripts.jar

import dev.faultline.dsl.Chaos;
import dev.faultline.dsl.ExitCode;
import dev.faultline.dsl.Project;
import dev.faultline.core.experiment.ExperimentResult;
import java.time.Duration;
import static dev.faultline.dsl.Chaos.at;
import static dev.faultline.dsl.Chaos.lasting;
import static dev.faultline.dsl.Probes.health;
import static dev.faultline.dsl.Expectations.*;

String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value.strip();
}

int number(String name, int fallback, int min, int max) {
    String text = env(name, String.valueOf(fallback));
    try {
        int value = Integer.parseInt(text);
        if (value >= min && value <= max) return value;
    } catch (NumberFormatException e) {
        // reported below
    }
    throw new IllegalArgumentException(name + " must be a whole number in [" + min + ", " + max + "], got '" + text + "'");
}

int code = ExitCode.UNUSABLE;
try {
    Project project = Chaos.project(env("FAULTLINE_PROJECT", "demo")).healthUrl(env("FAULTLINE_URL", Project.DEMO_HEALTH_URL));
    String web = env("FAULTLINE_WEB_SERVICE", "web");
    String db = env("FAULTLINE_DB_SERVICE", "db");
    int port = number("FAULTLINE_DB_PORT", 5432, 1, 65535);
    int latency = number("FAULTLINE_LATENCY_MS", 500, 1, 60_000);
    int jitter = number("FAULTLINE_JITTER_MS", 50, 0, latency);
    int seconds = number("FAULTLINE_FAULT_SECONDS", 10, 1, 3600);
    int p99 = number("FAULTLINE_P99_MS", 4000, 1, 600_000);
    int errors = number("FAULTLINE_MAX_ERROR_PERCENT", 5, 1, 100);
    String backends = env("FAULTLINE_DB_BACKENDS", "postgres: demo demo");
    System.out.println("Objective: 04 network delay: " + web + " -> " + db + ":" + port + " delayed " + latency + " ms ± " + jitter
            + " ms for " + seconds + " s in project " + project.name().orElse("?") + "; expect fewer than " + errors
            + "% failed checks and p99 under " + p99 + " ms.");
    System.out.println("Expected: resilient demo: slower, no errors beyond the bound (HELD, exit 0); fragile demo: 503s on the\n"
            + "          connections the delay cut, over the bound (FAILED, exit 1).");

    ExperimentResult result = project.experiment("network-delay")
            .steadyState(health(200).timeout(Duration.ofMillis(Math.max(3000, p99 + 1000L))))
            .fault(project.on(web).delay(Duration.ofMillis(latency)).jitter(Duration.ofMillis(jitter)).to(db, port),
                    at(Duration.ofSeconds(3)), lasting(Duration.ofSeconds(seconds)))
            // Moves Django's persistent connections onto the delayed path (see the header).
            .fault(project.on(db).signalAll("TERM", backends), at(Duration.ofSeconds(4)))
            .expect(errorRateBelow(errors / 100.0), p99Below(Duration.ofMillis(p99)), recoveredWithin(Duration.ofSeconds(30)))
            .sampleEvery(Duration.ofMillis(500))
            .run();

    System.out.println(result.table());
    code = ExitCode.of(result);
} catch (Throwable t) {
    code = ExitCode.of(t);
}
/exit code
