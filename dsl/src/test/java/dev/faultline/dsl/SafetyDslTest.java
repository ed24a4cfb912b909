package dev.faultline.dsl;

import static dev.faultline.dsl.Chaos.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.experiment.Outcome;
import dev.faultline.core.safety.Ledger;
import dev.faultline.core.safety.SafetyPolicy;
import dev.faultline.core.testing.FakeEngine;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production guard as the DSL spells it. */
class SafetyDslTest {

    @TempDir
    Path ledgers;

    @Test
    void refusalsAreTheDefaultAndEachIsAllowedExplicitly() {
        Project shop = Chaos.project("shop");
        assertThat(shop.experiment("x").fault(shop.on("web").pause(), at(Duration.ZERO)).build().safety())
                .isEqualTo(SafetyPolicy.defaults());
        assertThat(shop.experiment("x").allowProtected().fault(shop.on("web").pause(), at(Duration.ZERO)).build().safety())
                .isEqualTo(new SafetyPolicy(false, true));
        assertThat(shop.experiment("x").allowRemoteEngine().fault(shop.on("web").pause(), at(Duration.ZERO)).build().safety())
                .isEqualTo(new SafetyPolicy(true, false));
        Project allowing = shop.allowProtected().allowRemoteEngine();
        assertThat(allowing.safety()).isEqualTo(new SafetyPolicy(true, true));
        assertThat(allowing.experiment("x").fault(allowing.on("web").pause(), at(Duration.ZERO)).build().safety())
                .isEqualTo(new SafetyPolicy(true, true));
    }

    @Test
    void aProtectedContainerRefusesTheRunAndSaysHowToAllowIt() {
        FakeEngine engine = new FakeEngine();
        var db = FakeEngine.container("shop", "db", 1);
        var labels = new java.util.HashMap<>(db.labels());
        labels.put(SafetyPolicy.PROTECT_LABEL, "true");
        engine.add(new dev.faultline.core.engine.ContainerInfo(db.id(), db.name(), db.project(), db.service(), db.number(),
                db.image(), db.state(), db.health(), db.exitCode(), db.oomKilled(), db.restartPolicy(), db.restartCount(),
                db.ports(), db.hostPid(), db.startedAt(), db.finishedAt(), labels, db.ipAddresses(), db.cpuQuota(), db.cpuPeriod()));
        String before = System.getProperty(Ledger.DIR_PROPERTY);
        System.setProperty(Ledger.DIR_PROPERTY, ledgers.toString());
        try {
            Project shop = Chaos.project("shop").using(engine);
            ExperimentResult r = shop.experiment("protected").fault(shop.on("db").pause(), at(Duration.ZERO)).run();
            assertThat(r.outcome()).isEqualTo(Outcome.REFUSED);
            assertThat(r.reason()).startsWith("refused to pause container shop_db_1: it is labelled faultline.protect=true;")
                    .contains("allowProtected()");
            assertThat(engine.calls()).noneMatch(c -> c.startsWith("pause"));
        } finally {
            if (before == null) {
                System.clearProperty(Ledger.DIR_PROPERTY);
            } else {
                System.setProperty(Ledger.DIR_PROPERTY, before);
            }
        }
    }
}
