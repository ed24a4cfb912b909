// What the stack's logs said during an experiment or a time window: known messages of Nginx,
// Gunicorn, Django/psycopg and PostgreSQL, counted, timed, with a sample line each, and the
// "error visibility" finding (did the logs name the failure users saw?).
// Run from the repository root after `mvn package`:
//   FAULTLINE_REPORT=reports/results/20261127-064800-crash-web jshell scripts/analyze-logs.jsh
//   FAULTLINE_PROJECT=demo FAULTLINE_SINCE=10m jshell scripts/analyze-logs.jsh
// FAULTLINE_SINCE: a time ago (10m, 90s, 2h) or an ISO instant; FAULTLINE_UNTIL: the same, default now.
// Exit code: 0 findings printed and user-facing errors were visible in the logs (or there were none);
//            1 users got errors and no log line named a cause; 2 bad parameters, no engine or no stack.
/env --class-path scripts/target/faultline-scripts.jar
import dev.faultline.core.cli.AnalyzeLogsCommand;
int code = 2;
code = AnalyzeLogsCommand.run(System.getenv(), System.out);
/exit code
