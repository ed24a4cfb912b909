package dev.faultline.core.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ContainerState;
import dev.faultline.core.engine.Health;
import dev.faultline.core.engine.HelperSpec;
import dev.faultline.core.engine.RestartPolicy;
import dev.faultline.core.helper.Helpers;
import dev.faultline.core.testing.FakeEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackRestoreTest {

    private final FakeEngine engine = new FakeEngine();
    private final ContainerInfo db = FakeEngine.container("shop", "db");
    private final ContainerInfo web = FakeEngine.container("shop", "web");

    private StackRestore captured() {
        engine.add(db).add(web).add(FakeEngine.container("other", "web"));
        return StackRestore.capture(engine, "shop").withoutRuleSweep().timeout(Duration.ofMillis(1));
    }

    @Test
    void anUntouchedStackNeedsNothing() {
        Restoration r = captured().restore();

        assertThat(r.untouched()).isTrue();
        assertThat(r.lines()).containsExactly("restore shop: nothing to restore");
        assertThat(engine.calls()).noneMatch(c -> c.startsWith("start") || c.startsWith("unpause") || c.startsWith("restart"));
    }

    @Test
    void aContainerLeftExitedIsStartedAsARepairNotAFault() {
        StackRestore restore = captured();
        engine.kill(web.id(), "SIGKILL");
        engine.add(FakeEngine.with(engine.inspect(web.id()), ContainerState.EXITED, Health.NONE, RestartPolicy.NONE, 0, List.of()));

        Restoration r = restore.restore();

        assertThat(r.faultsLeftBehind()).isEmpty();
        assertThat(r.repairs()).containsExactly("shop_web_1 had exited with 137 and was not restarted (restart policy 'no'): started");
        assertThat(engine.inspect(web.id()).state()).isEqualTo(ContainerState.RUNNING);
        assertThat(engine.calls()).contains("start " + web.id()).doesNotContain("start " + FakeEngine.container("other", "web").id());
    }

    @Test
    void aPauseAndALoweredQuotaAreFaultsLeftBehindAndAreUndone() {
        StackRestore restore = captured();
        engine.pause(db.id());
        engine.updateCpuQuota(web.id(), 20_000, 100_000);

        Restoration r = restore.restore();

        assertThat(r.faultsLeftBehind()).containsExactly("shop_db_1 was paused: unpaused",
                "shop_web_1's CPU quota was 20000/100000 µs: set back to unlimited");
        assertThat(r.repairs()).isEmpty();
        assertThat(engine.inspect(db.id()).state()).isEqualTo(ContainerState.RUNNING);
        assertThat(engine.inspect(web.id()).cpuQuota()).isZero();
        assertThat(r.lines()).first().isEqualTo("restore shop: fault left behind: shop_db_1 was paused: unpaused");
    }

    @Test
    void aHelperStillRunningAgainstTheStackIsRemoved() {
        StackRestore restore = captured();
        String helper = engine.run(new HelperSpec("faultline/helper:1", List.of("sleep", "60"),
                Map.of(Helpers.RUN_ID, "r1", Helpers.ROLE, Helpers.ROLE_HELPER, Helpers.TARGET, web.name(),
                        Helpers.FAULT, "stress web"), "fl-helper-1", null, null, List.of(), false, null, List.of(), false));

        Restoration r = restore.restore();

        assertThat(r.faultsLeftBehind()).singleElement().asString()
                .startsWith("removed helper fl-helper-1 (stress web on shop_web_1)");
        assertThat(engine.calls()).contains("remove " + helper);
    }

    @Test
    void aContainerThatIsGoneNeedsAWayToRecreateIt() {
        StackRestore restore = captured();
        engine.remove(web.id(), true);

        assertThatThrownBy(restore::restore).isInstanceOf(RestoreException.class)
                .hasMessage("could not restore project 'shop': shop_web_1 no longer exists and this restore cannot "
                        + "recreate containers (no compose file was given)");

        Restoration r = restore.recreateWith(() -> engine.add(web)).restore();
        assertThat(r.repairs()).containsExactly("shop_web_1 was gone: recreated");
    }

    @Test
    void aStackThatDoesNotComeBackIsNamed() {
        StackRestore restore = captured();
        engine.add(FakeEngine.with(web, ContainerState.RUNNING, Health.STARTING, web.restartPolicy(), 0, List.of()));

        assertThatThrownBy(restore::restore).isInstanceOf(RestoreException.class)
                .hasMessage("project 'shop' was not steady again within 1 ms: shop_web_1 is starting");
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> StackRestore.capture(engine, "nothing-here")).isInstanceOf(RestoreException.class)
                .hasMessage("project 'nothing-here' has no containers to capture; bring it up first");
        assertThatIllegalArgumentException().isThrownBy(() -> captured().timeout(Duration.ZERO))
                .withMessage("timeout must be in (0, PT1H], got PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> captured().healthUrl("localhost:8081"))
                .withMessage("url must be an http:// or https:// URL, got 'localhost:8081'");
    }
}
