package dev.faultline.core.steadystate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.docker.Engines;
import dev.faultline.core.probe.ErrorClass;
import dev.faultline.core.probe.HttpProbe;
import dev.faultline.core.status.StackStatus;
import dev.faultline.core.status.StatusCheck;
import dev.faultline.core.target.ComposeStack;
import dev.faultline.core.testing.DemoStack;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The health watch and the status against the real (resilient) demo stack, healthy and with web stopped. */
class DemoHealthIT {

    @RegisterExtension static DemoStack demo = DemoStack.resilient("fl-engine-it");
    final Engine engine = Engines.docker();

    @Test
    void steadyWhileHealthyThenFailuresWhileWebIsStopped() {
        ComposeStack stack = ComposeStack.named(engine, demo.project());

        StackStatus status = StatusCheck.of(engine, stack);
        assertThat(status.services().stream().filter(s -> s.service().equals("web")).findFirst().orElseThrow()
                .gunicornWorkers()).containsValue(3);
        assertThat(status.warnings()).noneMatch(w -> w.message().contains("restart policy") || w.message().contains("healthcheck"));

        HealthWatch watch = HealthWatch.of(HttpProbe.get(demo.healthUrl()).status(200))
                .every(Duration.ofMillis(200)).during(Duration.ofSeconds(2)).printTo(System.out);
        HealthSummary healthy = watch.run();
        System.out.print(healthy.render());
        assertThat(healthy.checks() + healthy.skipped()).isEqualTo(10);
        assertThat(healthy.availabilityPercent()).isEqualTo(100.0);
        assertThat(healthy.held(100)).isTrue();

        // An API stop is a manual stop: Docker leaves it down whatever the restart policy.
        for (ContainerInfo web : stack.containers("web")) {
            engine.stop(web.id(), Duration.ofSeconds(5));
        }
        HealthSummary broken = watch.run();
        System.out.print(broken.render());
        assertThat(broken.availabilityPercent()).isLessThan(100.0);
        assertThat(broken.held(100)).isFalse();
        // Nginx answers for the missing upstream: 502 when the name resolves to nothing, 504 after its connect timeout.
        assertThat(broken.errors().keySet()).isNotEmpty().isSubsetOf(ErrorClass.HTTP_502, ErrorClass.HTTP_504, ErrorClass.HTTP_503);
        assertThat(broken.longestOutage()).isPresent();

        assertThat(StatusCheck.of(engine, stack).warnings()).anyMatch(w -> w.message().startsWith("not running"));
    }
}
