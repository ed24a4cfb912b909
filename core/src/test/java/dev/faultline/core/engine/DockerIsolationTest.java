package dev.faultline.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Only {@code dev.faultline.core.engine.docker} may import docker-java, in any module: the rest
 * of faultline talks to {@link Engine}, so a second backend or a fake can take its place.
 */
class DockerIsolationTest {

    private static final Pattern DOCKER_JAVA = Pattern.compile("^\\s*import\\s+(static\\s+)?com\\.github\\.dockerjava\\.", Pattern.MULTILINE);
    private static final String ALLOWED = "dev/faultline/core/engine/docker/";

    static Path repoRoot() {
        String property = System.getProperty("faultline.repo.root");
        if (property != null && Files.isDirectory(Path.of(property, "core"))) {
            return Path.of(property);
        }
        // Surefire runs in the module folder; the repository root is its parent.
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("core")) ? here : here.getParent();
    }

    @Test
    void onlyTheDockerAdapterImportsDockerJava() throws IOException {
        Path root = repoRoot();
        assertThat(root.resolve("core/src/main/java")).isDirectory();
        List<String> offenders;
        try (Stream<Path> files = Files.walk(root)) {
            offenders = files
                    .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".jsh"))
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/"))
                    .filter(p -> !p.toString().replace('\\', '/').contains(ALLOWED))
                    .filter(p -> DOCKER_JAVA.matcher(read(p)).find())
                    .map(p -> root.relativize(p).toString())
                    .toList();
        }
        assertThat(offenders)
                .as("files outside %s that import docker-java", ALLOWED)
                .isEmpty();
    }

    @Test
    void theCheckWouldSeeAnImport() {
        assertThat(DOCKER_JAVA.matcher("import com.github.dockerjava.api.DockerClient;").find()).isTrue();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
