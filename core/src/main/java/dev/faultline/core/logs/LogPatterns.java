package dev.faultline.core.logs;

import static dev.faultline.core.logs.Component.DJANGO;
import static dev.faultline.core.logs.Component.GUNICORN;
import static dev.faultline.core.logs.Component.NGINX;
import static dev.faultline.core.logs.Component.POSTGRES;
import static dev.faultline.core.logs.LogPattern.Kind.ACCESS_FAILED;
import static dev.faultline.core.logs.LogPattern.Kind.ERROR;
import static dev.faultline.core.logs.LogPattern.Kind.LIFECYCLE;

import java.util.List;

/**
 * The messages of the Nginx → Gunicorn/Django → PostgreSQL stack that matter under faults, as
 * these programs write them (nginx 1.26, Gunicorn 23, Django 4.2 with psycopg2, PostgreSQL 17).
 * A line may match several patterns ("OperationalError: server closed the connection
 * unexpectedly" is both an OperationalError and a closed connection); each counts.
 */
public final class LogPatterns {

    private static final List<LogPattern> DEFAULTS = List.of(
            LogPattern.of("nginx.upstream-refused", NGINX, ERROR,
                    "connect\\(\\) failed \\(111: Connection refused\\) while connecting to upstream",
                    "nginx could not connect to the upstream: nothing listened on its port (process down or restarting)"),
            LogPattern.of("nginx.upstream-closed", NGINX, ERROR, "upstream prematurely closed connection",
                    "the upstream closed the connection before answering (a worker died mid-request)"),
            LogPattern.of("nginx.upstream-timeout", NGINX, ERROR, "upstream timed out",
                    "the upstream did not answer within nginx's proxy timeout"),
            LogPattern.of("nginx.no-live-upstreams", NGINX, ERROR, "no live upstreams",
                    "nginx had marked every upstream server as failed and did not even try"),
            LogPattern.of("nginx.upstream-unresolved", NGINX, ERROR,
                    "(could not be resolved|host not found in upstream)",
                    "nginx could not resolve the upstream's name (its container was gone)"),
            LogPattern.of("nginx.access-5xx", NGINX, ACCESS_FAILED, "\"[A-Z]+ [^\"]*\" 5\\d\\d ",
                    "requests answered with a 5xx (access log)"),
            // nginx's own code: the client closed the connection before an answer came (users saw a timeout)
            LogPattern.of("nginx.access-499", NGINX, ACCESS_FAILED, "\"[A-Z]+ [^\"]*\" 499 ",
                    "requests the client gave up waiting for (499 in the access log: users saw a timeout)"),
            LogPattern.of("gunicorn.worker-timeout", GUNICORN, ERROR, "WORKER TIMEOUT",
                    "a Gunicorn worker was silent for longer than --timeout and is killed"),
            LogPattern.of("gunicorn.worker-sigkill", GUNICORN, ERROR, "Worker \\(pid:\\d+\\) was sent SIGKILL",
                    "a Gunicorn worker was killed (timeout or out of memory)"),
            LogPattern.of("gunicorn.worker-exited", GUNICORN, ERROR, "Worker \\(pid:\\d+\\) exited with code",
                    "a Gunicorn worker exited"),
            LogPattern.of("gunicorn.starting", GUNICORN, LIFECYCLE, "Starting gunicorn",
                    "Gunicorn's master started (a container start or restart)"),
            LogPattern.of("gunicorn.booting-worker", GUNICORN, LIFECYCLE, "Booting worker",
                    "Gunicorn started a worker"),
            LogPattern.of("gunicorn.shutting-down", GUNICORN, LIFECYCLE, "Shutting down",
                    "Gunicorn shut down (a stop or restart)"),
            LogPattern.of("django.operational-error", DJANGO, ERROR, "OperationalError",
                    "Django's database driver raised OperationalError: the database was unreachable or dropped the connection"),
            LogPattern.of("django.server-closed", DJANGO, ERROR, "server closed the connection unexpectedly",
                    "a pooled database connection had been closed by the server (stale after a restart)"),
            LogPattern.of("django.admin-terminated", DJANGO, ERROR, "(?<!FATAL:  )terminating connection due to administrator command",
                    "PostgreSQL ended the session because it was shutting down"),
            // A client quotes the server's message ("... failed: FATAL:  the database system is starting
            // up"); the server's own line has its "[pid] FATAL:" prefix: each is counted once, as its writer's.
            // nginx writes "(111: Connection refused)": that one is nginx's, not psycopg's
            LogPattern.of("django.connection-refused", DJANGO, ERROR, "(?<!111: )Connection refused",
                    "psycopg could not connect to the database: nothing listened on 5432"),
            LogPattern.of("django.db-starting-up", DJANGO, ERROR, "(?<!\\] FATAL:  )the database system is starting up",
                    "the database accepted the connection but was still starting"),
            LogPattern.of("django.internal-error", DJANGO, ERROR, "Internal Server Error: ",
                    "Django answered 500 and logged the request"),
            LogPattern.of("django.traceback", DJANGO, ERROR, "Traceback \\(most recent call last\\)",
                    "a Python traceback was logged"),
            LogPattern.of("postgres.fast-shutdown", POSTGRES, LIFECYCLE, "received fast shutdown request",
                    "PostgreSQL was asked to stop (SIGINT: docker stop or restart)"),
            LogPattern.of("postgres.smart-shutdown", POSTGRES, LIFECYCLE, "received smart shutdown request",
                    "PostgreSQL was asked to stop once clients disconnect (SIGTERM)"),
            LogPattern.of("postgres.ready", POSTGRES, LIFECYCLE, "database system is ready to accept connections",
                    "PostgreSQL accepts connections again"),
            LogPattern.of("postgres.interrupted", POSTGRES, ERROR, "was interrupted",
                    "PostgreSQL had not shut down cleanly (crash or kill)"),
            LogPattern.of("postgres.crash-recovery", POSTGRES, ERROR, "automatic recovery in progress",
                    "PostgreSQL replays its WAL after an unclean stop"),
            LogPattern.of("postgres.too-many-clients", POSTGRES, ERROR, "too many clients",
                    "max_connections was reached: new connections were refused"),
            LogPattern.of("postgres.fatal", POSTGRES, ERROR, "\\[\\d+\\] FATAL:",
                    "PostgreSQL ended a session with FATAL"));

    private LogPatterns() {}

    /** Every known pattern, in report order (the user-facing tier first). */
    public static List<LogPattern> defaults() {
        return DEFAULTS;
    }
}
