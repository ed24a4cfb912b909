package dev.faultline.core.helper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.testing.FakeEngine;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HelpersTest {

    @Test
    void theTagHashesTheDockerfileAndTheBase() {
        HelperImage a = HelperImage.withBase("faultline/debian:trixie");
        HelperImage b = HelperImage.withBase("debian:trixie-slim");
        assertThat(a.tag()).matches("faultline/helper:[0-9a-f]{12}");
        assertThat(a.tag()).isEqualTo(HelperImage.withBase("faultline/debian:trixie").tag()).isNotEqualTo(b.tag());
        assertThat(a.dockerfile()).contains("ARG BASE=faultline/debian:trixie").contains("stress-ng").contains("iptables");
        assertThatThrownBy(() -> HelperImage.withBase(" ")).hasMessage("base must be a non-blank image reference, got ' '");
    }

    @Test
    void theImageIsBuiltOncePerJvmEvenWhenManyAskAtOnce() {
        FakeEngine engine = new FakeEngine();
        HelperImage image = HelperImage.withBase("test/base-" + System.nanoTime());
        List<CompletableFuture<String>> asks = IntStream.range(0, 8)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> image.ensure(engine))).toList();
        asks.forEach(CompletableFuture::join);
        assertThat(engine.calls()).filteredOn(c -> c.startsWith("buildImage")).containsExactly("buildImage " + image.tag());
        image.ensure(engine);
        assertThat(engine.calls()).filteredOn(c -> c.startsWith("buildImage")).hasSize(1);
    }

    @Test
    void aHelperIsLabelledAndBoundedByItsDeadline() {
        FakeEngine engine = new FakeEngine();
        ContainerInfo web = FakeEngine.container("shop", "web");
        Helpers helpers = new Helpers(engine, HelperImage.withBase("test/labels"));
        Helper helper = helpers.start(HelperRequest.of("run-7", "crash", web, Duration.ofMillis(1500), List.of("sleep", "9"))
                .withPidMode("host"));
        ContainerInfo made = engine.inspect(helper.id());
        assertThat(made.labels()).containsEntry("faultline.run-id", "run-7").containsEntry("faultline.role", "helper")
                .containsEntry("faultline.target", "shop_web_1").containsEntry("faultline.fault", "crash");
        assertThat(made.name()).matches("faultline-run-7-crash-shop_web_1-[0-9a-f]{4}");
        assertThat(engine.calls()).contains("run " + helpers.image().tag() + " [timeout, -k, 5, 2s, sleep, 9]");
        assertThat(helpers.of("run-7")).extracting(ContainerInfo::id).containsExactly(helper.id());
    }

    @Test
    void requestsAreValidated() {
        assertThatThrownBy(() -> HelperRequest.of("r", "crash", null, Duration.ZERO, List.of("true")))
                .hasMessage("deadline must be in (0, PT24H], got PT0S");
        assertThatThrownBy(() -> HelperRequest.of("", "crash", null, Duration.ofSeconds(1), List.of("true")))
                .hasMessage("runId must be non-blank, got ''");
        assertThatThrownBy(() -> HelperRequest.of("r", "crash", null, Duration.ofSeconds(1), List.of()))
                .hasMessage("command must not be empty");
    }

    @Test
    void aHelperThatDoesNotFinishIsReportedAndRemoved() {
        FakeEngine engine = new FakeEngine();
        Helpers helpers = new Helpers(engine, HelperImage.withBase("test/slow"));
        assertThatThrownBy(() -> helpers.runToEnd(HelperRequest.of("r", "crash", null, Duration.ofSeconds(5),
                List.of("sleep", "9")), Duration.ofMillis(10)))
                .isInstanceOf(HelperException.class).hasMessageContaining("still ran after PT0.01S");
        assertThat(engine.calls()).anyMatch(c -> c.startsWith("remove helper"));
    }
}
