// The stack at a glance: services, containers, state, health, restart policy, ports, and the
// warnings to hear before any experiment. Run from the repository root after `mvn package`:
//   jshell scripts/status.jsh
// FAULTLINE_PROJECT=<name> picks the Compose project; by default the one Compose derives from the
// current folder, else the demo stack ('demo').
// Exit code: 0 the stack was found, 2 no engine or no stack (the reason is printed).
/env --class-path scripts/target/faultline-scripts.jar
import dev.faultline.core.cli.StatusCommand;
int code = 2;
// 'demo': the scripts run from the repository root while the demo stack lives in demo/.
code = StatusCommand.run(System.getenv(), java.nio.file.Path.of("").toAbsolutePath(), "demo", System.out, System.console() != null);
/exit code
