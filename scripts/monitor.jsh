// A live view of the stack: per service state, health, restarts, CPU and memory, a steady-state
// probe line and the recent container events, refreshed every interval.
// Run from the repository root after `mvn package`:
//   FAULTLINE_PROJECT=demo jshell scripts/monitor.jsh
// FAULTLINE_PROJECT    the Compose project (default demo)
// FAULTLINE_URL        probe URL (default http://localhost:8081/health/)
// FAULTLINE_INTERVAL   refresh period, e.g. 2s (default), 500ms
// FAULTLINE_DURATION   how long, e.g. 60s; 0 (default) runs until Ctrl-C
// FAULTLINE_PLAIN=1    plain lines instead of redrawing the screen. jshell's JVM has no console even
//                      in a terminal, so the screen is redrawn when TERM is set and not "dumb".
// Exit code: 0 ran to the end (or Ctrl-C), 2 bad parameters, no engine or no stack.
/env --class-path scripts/target/faultline-scripts.jar
import dev.faultline.core.cli.MonitorCommand;
// The demo's project and health URL unless the environment says otherwise (the library has no defaults for them).
Map<String, String> env = new HashMap<>(Map.of("FAULTLINE_PROJECT", "demo", "FAULTLINE_URL", "http://localhost:8081/health/"));
env.putAll(System.getenv());
int code = 2;
code = MonitorCommand.run(env, System.out);
/exit code
