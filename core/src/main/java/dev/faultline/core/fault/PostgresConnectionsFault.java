package dev.faultline.core.fault;

import dev.faultline.core.engine.ContainerInfo;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exhausts a PostgreSQL server's connection slots: this JVM opens idle JDBC connections to the
 * database container's address until the server refuses one ({@code SQLSTATE 53300}: "too many
 * clients", or "remaining connection slots are reserved" for a role that is not a superuser) or
 * {@code max_connections} (asked with {@code SHOW max_connections}) are open, and holds them. The
 * application's new connections then fail the same way; connections it already holds keep working.
 * Every 100 ms the fault also takes any slot another client freed, so the server stays full.
 * Revert closes them; so does the end of {@code duration}, and the death of this JVM (the kernel
 * closes its sockets and the server frees the slots). A fault that can hold no slot at all (nothing
 * listens on the port, or the server is already full) reached nothing: its {@link Effect} is none, with
 * the reason, and a run with it is INCONCLUSIVE rather than an error.
 *
 * <p>The password never appears in a description, message or {@link #toString()} (see {@link DatabaseLogin}).
 */
public record PostgresConnectionsFault(Targeting targeting, int port, DatabaseLogin login, Duration duration)
        implements PerContainerFaultSupport {

    public static final Duration MAX_DURATION = Duration.ofHours(24);
    public static final Duration DEFAULT_DURATION = Duration.ofMinutes(10);
    /** More than any max_connections a Compose database would sensibly have; a bound on what the JVM opens. */
    public static final int MAX_CONNECTIONS = 5000;
    static final String SQLSTATE_TOO_MANY = "53300";
    /** The driver's "connection attempt failed": refused, unreachable or timed out. */
    static final String SQLSTATE_CANNOT_CONNECT = "08001";
    /** How often the held set is topped up with slots other clients freed. */
    static final Duration TOP_UP = Duration.ofMillis(100);
    private static final Logger LOG = LoggerFactory.getLogger(PostgresConnectionsFault.class);

    public PostgresConnectionsFault {
        Objects.requireNonNull(targeting, "targeting");
        Checks.between("port", port, 1, 65535);
        if (login == null) {
            throw new IllegalArgumentException("login must be a DatabaseLogin, got null");
        }
        Checks.positive("duration", duration, MAX_DURATION);
    }

    /** Fills {@code service}'s PostgreSQL (port 5432) with idle connections logged in as {@code login}, for at most 10 minutes. */
    public static PostgresConnectionsFault of(String service, DatabaseLogin login) {
        return new PostgresConnectionsFault(Targeting.all(service), 5432, login, DEFAULT_DURATION);
    }

    public PostgresConnectionsFault port(int p) {
        return new PostgresConnectionsFault(targeting, p, login, duration);
    }

    /** The connections are closed after this long even if nobody reverts the fault. */
    public PostgresConnectionsFault lasting(Duration d) {
        return new PostgresConnectionsFault(targeting, port, login, d);
    }

    public PostgresConnectionsFault index(int index) {
        return new PostgresConnectionsFault(targeting.index(index), port, login, duration);
    }

    @Override
    public String kind() {
        return "pg-connections";
    }

    @Override
    public String describe() {
        return "exhaust PostgreSQL connections of " + targeting + " (port " + port + ", database " + login.database() + ", user " + login.user()
                + ") for at most " + duration.toSeconds() + " s";
    }

    /** The container's address on its first network: reachable from the host's bridge, where this JVM runs. */
    static String address(ContainerInfo c) {
        return c.ipAddresses().values().stream().filter(a -> a != null && !a.isBlank()).findFirst()
                .orElseThrow(() -> new FaultException("pg-connections " + c.name() + ": nothing done, the container has no IP address"));
    }

    private Properties properties(String runId) {
        Properties p = new Properties();
        p.setProperty("user", login.user());
        p.setProperty("password", login.password());
        p.setProperty("connectTimeout", "5");
        p.setProperty("loginTimeout", "10");
        p.setProperty("socketTimeout", "30");
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("ApplicationName", ("faultline " + runId).substring(0, Math.min(63, ("faultline " + runId).length())));
        return p;
    }

    /** Removes the password from a driver's message, in case one ever quotes it. */
    private String redact(String message) {
        String password = login.password();
        return password.isEmpty() || message == null ? String.valueOf(message) : message.replace(password, "***");
    }

    @Override
    public Injection injectOne(FaultContext context, ContainerInfo c) {
        String ip = address(c);
        String url = "jdbc:postgresql://" + ip + ":" + port + "/" + login.database();
        String where = c.name() + " (" + ip + ":" + port + ", database " + login.database() + ", user " + login.user() + ")";
        Properties props = properties(context.runId());
        List<Connection> held = new ArrayList<>();
        Instant at = Instant.now();
        int maxConnections;
        String refusal = null;
        try {
            Connection first = DriverManager.getConnection(url, props);
            held.add(first);
            try (Statement s = first.createStatement(); ResultSet r = s.executeQuery("SHOW max_connections")) {
                r.next();
                maxConnections = Integer.parseInt(r.getString(1).strip());
            }
            while (held.size() < Math.min(maxConnections, MAX_CONNECTIONS)) {
                try {
                    held.add(DriverManager.getConnection(url, props));
                } catch (SQLException e) {
                    if (SQLSTATE_TOO_MANY.equals(e.getSQLState())) {
                        refusal = redact(e.getMessage());
                        break;
                    }
                    throw e;
                }
            }
        } catch (SQLException | RuntimeException e) {
            closeAll(held);
            if (e instanceof SQLException s && held.isEmpty() && (SQLSTATE_TOO_MANY.equals(s.getSQLState())
                    || SQLSTATE_CANNOT_CONNECT.equals(s.getSQLState()))) {
                return missed(c, where, s, at);
            }
            String state = e instanceof SQLException s ? " (SQLSTATE " + s.getSQLState() + ")" : "";
            throw new FaultException("pg-connections " + where + ": nothing held, after " + held.size() + " connection(s) a connection failed"
                    + state + ": " + redact(e.getMessage()));
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "faultline-pg-connections-" + c.name());
            t.setDaemon(true);
            return t;
        });
        List<Connection> holding = new CopyOnWriteArrayList<>(held);
        int initial = holding.size();
        int cap = Math.min(maxConnections, MAX_CONNECTIONS);
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                timer.shutdownNow();
                closeAll(holding);
            }
        };
        // other clients come and go (a health check, a pool recycling its connections): take every slot they free
        timer.scheduleWithFixedDelay(() -> {
            while (!released.get() && holding.size() < cap) {
                try {
                    holding.add(DriverManager.getConnection(url, props));
                } catch (SQLException e) {
                    return;
                }
            }
        }, TOP_UP.toMillis(), TOP_UP.toMillis(), TimeUnit.MILLISECONDS);
        timer.schedule(() -> {
            LOG.info("pg-connections {}: duration {} over, closing {} connection(s)", c.name(), duration, holding.size());
            release.run();
        }, duration.toMillis(), TimeUnit.MILLISECONDS);
        String mechanism = "holding " + initial + " idle JDBC connection(s) from this JVM to " + where + "; max_connections "
                + maxConnections + "; " + (refusal != null ? "the next one was refused (SQLSTATE " + SQLSTATE_TOO_MANY + ": " + refusal + ")"
                : "stopped at max_connections without a refusal") + "; every " + TOP_UP.toMillis() + " ms it takes any slot another"
                + " client frees; closed on revert, after " + duration.toSeconds() + " s, or when this JVM dies";
        boolean refused = refusal != null;
        return SimpleInjection.reverting(mechanism, List.of(c.name()), at, release).measuredBy(() -> {
            int now = holding.size();
            boolean full = refused || now >= cap;
            return Effect.of(now > 0 && full, "pg-connections " + c.name() + ": " + now + " connection slot(s) held of max_connections "
                            + maxConnections + (refused ? "; the server refused the next one (full)" : ""),
                    "the server was never full: " + now + " of " + maxConnections + " slots held and no refusal seen",
                    List.of(Effect.count("slots held", now, ""), Effect.count("max_connections", maxConnections, "")));
        });
    }

    /**
     * A fault that could hold no slot reached nothing, and says why, rather than failing the run: nothing
     * accepts connections there (SQLSTATE {@value #SQLSTATE_CANNOT_CONNECT}: a port no PostgreSQL listens on),
     * or the server was full before the fault ({@value #SQLSTATE_TOO_MANY}: the app's starvation is then not
     * this fault's doing). A wrong password or database stays an error: that is the fault's own mistake.
     */
    private Injection missed(ContainerInfo c, String where, SQLException e, Instant at) {
        boolean full = SQLSTATE_TOO_MANY.equals(e.getSQLState());
        String why = redact(e.getMessage());
        String cause = full ? "the server was already full before the fault (SQLSTATE " + SQLSTATE_TOO_MANY + ": " + why
                + "): other clients held every slot open to " + login.user()
                : "nothing accepted a connection at " + where + " (SQLSTATE " + SQLSTATE_CANNOT_CONNECT + ": " + why
                        + "): no PostgreSQL listens on port " + port + " there";
        Effect none = Effect.none("pg-connections " + c.name() + ": 0 connection slot(s) held", cause,
                List.of(Effect.count("slots held", 0, "")));
        return SimpleInjection.oneShot("nothing held: " + cause, List.of(c.name()), at).measuredBy(() -> none);
    }

    private static void closeAll(List<Connection> connections) {
        for (Connection connection : connections) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing a held connection: {}", e.toString());
            }
        }
    }
}
