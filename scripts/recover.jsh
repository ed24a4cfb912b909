// Finds and undoes everything faultline left on this Docker engine: helpers and reapers by label,
// netfilter rules by their faultline:<run> comment, and from the ledgers of dead runs
// (~/.local/state/faultline) paused or stopped containers, changed CPU quotas and memory limits. Runs whose JVM
// still lives are left alone. Safe to run twice. Run from the repository root after `mvn package`:
//   jshell scripts/recover.jsh
// Exit code: 0 clean afterwards, 1 something could not be undone (said why), 2 no engine.
/env --class-path scripts/target/faultline-scripts.jar
import dev.faultline.core.cli.RecoverCommand;
int code = 2;
code = RecoverCommand.run(System.out);
/exit code
