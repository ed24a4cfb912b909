// Watches an HTTP endpoint at a fixed rate and says whether the steady state held.
// Run from the repository root after `mvn package`:
//   jshell scripts/health-check.jsh
// Parameters (environment):
//   FAULTLINE_URL               default http://localhost:8081/health/
//   FAULTLINE_INTERVAL          default 1s   (500ms, 2s, PT0.5S, ...)
//   FAULTLINE_DURATION          default 30s  ("0" = one quick check)
//   FAULTLINE_EXPECT_STATUS     default 200
//   FAULTLINE_MIN_AVAILABILITY  default 100  (percent)
// Exit code: 0 steady state held, 1 it did not, 2 bad parameters.
/env --class-path scripts/target/faultline-scripts.jar
import dev.faultline.core.cli.HealthCheckCommand;
// The demo's health URL unless FAULTLINE_URL says otherwise (the library has no default URL).
Map<String, String> env = new HashMap<>(Map.of("FAULTLINE_URL", "http://localhost:8081/health/"));
env.putAll(System.getenv());
int code = 2;
code = HealthCheckCommand.run(env, System.out);
/exit code
