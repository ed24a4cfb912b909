package dev.faultline.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.NoEngineException;
import dev.faultline.core.testing.FakeEngine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusCommandTest {

    @TempDir Path tmp;
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    int run(Supplier<Engine> engine, Map<String, String> env) throws Exception {
        return StatusCommand.run(engine, env, Files.createDirectories(tmp.resolve("repo")), java.util.Optional.of("demo"), out, false);
    }

    @Test
    void showsTheDemoStackWhenTheFolderHasNoProject() throws Exception {
        FakeEngine engine = new FakeEngine().add(FakeEngine.container("demo", "web"));
        assertThat(run(() -> engine, Map.of())).isZero();
        assertThat(output()).contains("No Compose project for", "showing project 'demo'",
                "Compose project 'demo' (the fallback project", "demo_web_1");
    }

    @Test
    void usesFaultlineProject() throws Exception {
        FakeEngine engine = new FakeEngine().add(FakeEngine.container("demo", "web")).add(FakeEngine.container("shop", "api"));
        assertThat(run(() -> engine, Map.of("FAULTLINE_PROJECT", "shop"))).isZero();
        assertThat(output()).contains("Compose project 'shop' (FAULTLINE_PROJECT in the environment)", "shop_api_1")
                .doesNotContain("demo_web_1");
    }

    @Test
    void exitsTwoWhenNothingIsFound() throws Exception {
        FakeEngine engine = new FakeEngine().add(FakeEngine.container("shop", "api"));
        assertThat(run(() -> engine, Map.of())).isEqualTo(2);
        assertThat(output()).contains("No Compose project found: tried 'repo'", "Projects on this engine: shop.",
                "The fallback project 'demo' was tried too");
    }

    @Test
    void exitsTwoWhenNoEngineAnswers() throws Exception {
        assertThat(run(() -> {
            throw new NoEngineException("No Docker engine at unix:///nope.sock: ...; start it: sudo tools/engine-up.sh", null);
        }, Map.of())).isEqualTo(2);
        assertThat(output()).contains("No Docker engine at unix:///nope.sock", "tools/engine-up.sh");
    }
}
