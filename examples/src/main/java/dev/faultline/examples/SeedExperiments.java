package dev.faultline.examples;

import static dev.faultline.dsl.Chaos.at;
import static dev.faultline.dsl.Chaos.lasting;
import static dev.faultline.dsl.Expectations.errorRateBelow;
import static dev.faultline.dsl.Expectations.noErrorsOnceAccepting;
import static dev.faultline.dsl.Expectations.p99Below;
import static dev.faultline.dsl.Expectations.recoveredWithin;
import static dev.faultline.dsl.Probes.health;

import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.dsl.Expectations;
import dev.faultline.dsl.ExperimentStage;
import dev.faultline.dsl.Load;
import dev.faultline.dsl.Project;
import java.time.Duration;

/**
 * The seed's experiments against a Django stack, its service names given by the caller (the
 * scripts in scripts/ are the same experiments, parameterised by environment variables).
 *
 * @param web  the Gunicorn/Django service
 * @param db   the PostgreSQL service
 */
public record SeedExperiments(Project project, String web, String db, int dbPort) {

    /** 02's check period: longer than the database's restart by a wide margin (see {@link #dbRestart}). */
    public static final Duration DB_RESTART_CHECK_EVERY = Duration.ofSeconds(8);

    /** 02's restart, just after a check. */
    public static final Duration DB_RESTART_AT = DB_RESTART_CHECK_EVERY.plusMillis(500);

    /** The demo's names: web, db:5432. */
    public static SeedExperiments demo(Project project) {
        return new SeedExperiments(project, "web", "db", 5432);
    }

    /** 01: Gunicorn's master dies as in a crash; Docker's restart policy must bring /health/ back. */
    public ExperimentResult gunicornKill(Duration recovery) {
        return project.on(web).kill().expect(health(200)).within(recovery);
    }

    /**
     * 02: the database restarts; no request may fail once it accepts connections again.
     * <p>
     * A connection the restart closed fails the first request that uses it; that request then
     * drops it. If any request reaches web while the database is down, it meets the stale
     * connection there, and the failure hides in the outage. So no traffic may reach web between
     * the restart and the moment the database accepts connections again: /health/ is checked
     * every 8 s and the restart comes 0.5 s after a check, which leaves 7.5 s for the database to
     * come back (measured 1–2.6 s on a loaded 2-core machine). The next check is then the first
     * request after the restart: it fails on every run on a Django that reuses connections without
     * checking them (the fragile demo), and passes on one with CONN_HEALTH_CHECKS.
     * Steady load would defeat this: at 5 requests a second the fragile demo's stale connection
     * failed during the outage and no request failed after it.
     */
    public ExperimentResult dbRestart(Duration recovery) {
        return project.experiment("db-restart")
                .steadyState(health(200))
                .fault(project.on(db).restart(), at(DB_RESTART_AT))
                .expect(recoveredWithin(recovery), noErrorsOnceAccepting(db, dbPort))
                .sampleEvery(DB_RESTART_CHECK_EVERY)
                .afterRecovery(Duration.ofSeconds(6))
                .run();
    }

    /** 03: CPU burners in web's cgroup; requests slow down but stay under bounds. */
    public ExperimentResult cpuStress(int burners, Duration duration, Duration p99, double maxErrorRate) {
        return project.experiment("cpu-stress")
                .steadyState(health(200).timeout(p99.multipliedBy(2).plusSeconds(1)))
                .fault(project.on(web).stressCpu(burners), at(Duration.ofSeconds(2)), lasting(duration))
                .expect(p99Below(p99), errorRateBelow(maxErrorRate), recoveredWithin(Duration.ofSeconds(30)))
                .sampleEvery(Duration.ofMillis(200))
                .run();
    }

    /**
     * 04: web → db latency under open-model load. GET / makes two queries, plus one for Django's
     * connection health check on the resilient demo, so under 500 ms per query one request holds a
     * Gunicorn worker for 1–1.6 s: the resilient demo's 3 workers serve about 2 requests a second,
     * the fragile demo's single worker about 1. {@code perSecond} between the two (plus the /health/
     * checks) leaves the first with spare capacity while requests queue on the second until they
     * take longer than {@code p99}, which is also the load's client timeout: a request slower than
     * the bound is one a user gave up on, and counts as a timeout.
     * <p>
     * The delay resets web's established database connections at injection (conntrack would keep
     * them on their direct path), so every query then runs delayed; its effect says how many.
     */
    public ExperimentResult networkDelay(Duration latency, Duration jitter, Duration duration, double perSecond,
            Duration p99, double maxErrorRate) {
        return project.experiment("network-delay")
                .steadyState(health(200).timeout(p99.plusSeconds(1)))
                .load(Load.constantRate(perSecond).perSecond().get("/").timeout(p99))
                .fault(project.on(web).delay(latency).jitter(jitter).to(db, dbPort), at(Duration.ofSeconds(3)), lasting(duration))
                .expect(errorRateBelow(maxErrorRate), p99Below(p99), recoveredWithin(Duration.ofSeconds(30)))
                // Every 4 s: the checks take worker time too, and recovery needs no finer grain here.
                .sampleEvery(Duration.ofSeconds(4))
                .run();
    }

    /** Two faults at once: the database restarts while web is starved of CPU. */
    public ExperimentStage multiFault(Duration stress) {
        return project.experiment("db-restart-while-cpu-starved")
                .steadyState(health(200).timeout(Duration.ofSeconds(5)))
                .fault(project.on(web).stressCpu(2), at(Duration.ofSeconds(2)), lasting(stress))
                .fault(project.on(db).restart(), at(Duration.ofSeconds(4)))
                .expect(recoveredWithin(Duration.ofSeconds(30)), errorRateBelow(0.5))
                .abortWhen(Expectations.errorRateAbove(0.9).lasting(Duration.ofSeconds(10)));
    }

    /** Orders written during a database restart: every acknowledged one must read back afterwards. */
    public ExperimentStage ordersSurviveDbRestart(String baseUrl, double perSecond, Duration duration) {
        return project.experiment("orders-survive-db-restart")
                .steadyState(health(200))
                .load(Load.constantRate(perSecond).perSecond().post("/api/orders/", "{\"item\": \"faultline\", \"quantity\": 1}").trackWrites("/api/orders/{id}/")
                        .baseUrl(baseUrl).lasting(duration))
                .fault(project.on(db).restart(), at(Duration.ofSeconds(3)))
                .expect(recoveredWithin(Duration.ofSeconds(30)), Expectations.noLostWrites());
    }

    /**
     * Load plus chaos: the shop's pages under steady load while the database restarts. Requests fail while
     * PostgreSQL is down; what a resilient stack owes is none once it accepts connections again. (A share of
     * errors over the run is not asked: it measures how long PostgreSQL takes to restart on this machine, 39 %
     * for a 2.9 s outage on a slow one.)
     */
    public ExperimentStage dbRestartUnderLoad(String baseUrl, double perSecond, Duration duration) {
        return project.experiment("db-restart-under-load")
                .steadyState(health(200))
                .load(Load.constantRate(perSecond).perSecond().get("/").get("/api/orders/").baseUrl(baseUrl).lasting(duration))
                .fault(project.on(db).restart(), at(Duration.ofSeconds(3)))
                .expect(recoveredWithin(Duration.ofSeconds(30)), noErrorsOnceAccepting(db, dbPort), p99Below(Duration.ofSeconds(5)))
                .abortWhen(Expectations.errorRateAbove(0.9).lasting(Duration.ofSeconds(10)));
    }
}
