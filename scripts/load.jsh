// Sends open-model load at a fixed rate and prints a vegeta-like report.
// Run from the repository root after `mvn package`:
//   jshell scripts/load.jsh
// Parameters (environment):
//   FAULTLINE_URL       default http://localhost:8081/
//   FAULTLINE_RATE      default 50      (requests per second)
//   FAULTLINE_DURATION  default 10s     (500ms, 2m, PT10S, ...)
//   FAULTLINE_METHOD    default GET
//   FAULTLINE_BODY      request body (JSON), default none
//   FAULTLINE_TIMEOUT   per request, default 10s
//   FAULTLINE_RESULTS   write every request to this JSON Lines file, default none
//   FAULTLINE_WARMUP    the generator warms up on a server inside this JVM first (nothing reaches
//                       the URL): by default 1s at 5000/s, or above 5000/s until the JIT compiler
//                       has caught up (at most 10s); a duration for a fixed one at 5000/s; 0 for none
//   FAULTLINE_CONNECTIONS at most this many connections to the URL (1-1024), default
//                       one per request in flight
// Exit code: 0 every request succeeded, 1 any failed or was dropped, 2 bad parameters.
/env --class-path scripts/target/faultline-scripts.jar
import dev.faultline.core.cli.LoadCommand;
// The demo's address unless FAULTLINE_URL says otherwise (the library has no default URL).
Map<String, String> env = new HashMap<>(Map.of("FAULTLINE_URL", "http://localhost:8081/"));
env.putAll(System.getenv());
int code = 2;
code = LoadCommand.run(env, System.out);
/exit code
