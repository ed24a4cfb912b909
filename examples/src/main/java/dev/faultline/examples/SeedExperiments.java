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

    /** The demo's names: web, db:5432. */
    public static SeedExperiments demo(Project project) {
        return new SeedExperiments(project, "web", "db", 5432);
    }

    /** 01: Gunicorn's master dies as in a crash; Docker's restart policy must bring /health/ back. */
    public ExperimentResult gunicornKill(Duration recovery) {
        return project.on(web).kill().expect(health(200)).within(recovery);
    }

    /** 02: the database restarts; no request may fail once it accepts connections again. */
    public ExperimentResult dbRestart(Duration recovery) {
        return project.experiment("db-restart")
                .steadyState(health(200))
                .fault(project.on(db).restart(), at(Duration.ofMillis(2200)))
                .expect(recoveredWithin(recovery), noErrorsOnceAccepting(db, dbPort))
                // Checked every 2 s, just after the restart: the first check after the database is
                // back is the request that meets a connection the restart closed.
                .sampleEvery(Duration.ofSeconds(2))
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
     * 04: web → db latency. Only new connections take the delayed path (conntrack), so web's
     * database backends are terminated right after injecting: every query then runs delayed.
     */
    public ExperimentResult networkDelay(Duration latency, Duration jitter, Duration duration, Duration p99,
            double maxErrorRate) {
        return project.experiment("network-delay")
                .steadyState(health(200).timeout(p99.plusSeconds(1)))
                .fault(project.on(web).delay(latency).jitter(jitter).to(db, dbPort), at(Duration.ofSeconds(2)), lasting(duration))
                .fault(project.on(db).signalAll("TERM", "postgres: demo demo"), at(Duration.ofMillis(2500)))
                .expect(errorRateBelow(maxErrorRate), p99Below(p99), recoveredWithin(Duration.ofSeconds(30)))
                .sampleEvery(Duration.ofMillis(500))
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
                .load(Load.constantRate(perSecond).perSecond().post("/api/orders/").trackWrites("/api/orders/{id}/")
                        .baseUrl(baseUrl).lasting(duration))
                .fault(project.on(db).restart(), at(Duration.ofSeconds(3)))
                .expect(recoveredWithin(Duration.ofSeconds(30)), Expectations.noLostWrites());
    }

    /** Load plus chaos: the shop's pages under steady load while the database restarts. */
    public ExperimentStage dbRestartUnderLoad(String baseUrl, double perSecond, Duration duration) {
        return project.experiment("db-restart-under-load")
                .steadyState(health(200))
                .load(Load.constantRate(perSecond).perSecond().get("/").get("/api/orders/").baseUrl(baseUrl).lasting(duration))
                .fault(project.on(db).restart(), at(Duration.ofSeconds(3)))
                .expect(recoveredWithin(Duration.ofSeconds(30)), errorRateBelow(0.25), p99Below(Duration.ofSeconds(5)))
                .abortWhen(Expectations.errorRateAbove(0.9).lasting(Duration.ofSeconds(10)));
    }
}
