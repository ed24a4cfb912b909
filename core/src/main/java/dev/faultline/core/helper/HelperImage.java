package dev.faultline.core.helper;

import dev.faultline.core.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The helper image, built locally from the Dockerfile in core's resources on first use.
 *
 * <p>Its tag carries a hash of the Dockerfile and the base image, so that changing either builds
 * a new image instead of silently reusing an old one. The base is {@value #DEFAULT_BASE} (the
 * image tools/base-image.sh imports where no registry is reachable) unless the system property
 * {@value #BASE_PROPERTY} or {@link #withBase} names another, e.g. {@code debian:trixie-slim} or
 * an Alpine image on a machine that can pull.
 */
public final class HelperImage {

    public static final String DEFAULT_BASE = "faultline/debian:trixie";
    public static final String BASE_PROPERTY = "faultline.helper.base";
    public static final String REPOSITORY = "faultline/helper";

    private static final String DOCKERFILE_RESOURCE = "Dockerfile";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(HelperImage.class);

    /** Tags known to exist in this JVM: a build (or the existence check) happens once per JVM. */
    private static final Set<String> READY = ConcurrentHashMap.newKeySet();
    private static final Object BUILD_LOCK = new Object();

    private final String base;
    private final String dockerfile;
    private final String tag;

    private HelperImage(String base) {
        if (base == null || base.isBlank()) {
            throw new IllegalArgumentException("base must be a non-blank image reference, got '" + base + "'");
        }
        this.base = base.strip();
        this.dockerfile = readDockerfile();
        this.tag = REPOSITORY + ":" + hash(this.dockerfile + "\nBASE=" + this.base);
    }

    /** The base from {@value #BASE_PROPERTY}, or {@value #DEFAULT_BASE} when it is not set. */
    public static HelperImage fromSystemProperties() {
        return new HelperImage(System.getProperty(BASE_PROPERTY, DEFAULT_BASE));
    }

    public static HelperImage withBase(String base) {
        return new HelperImage(base);
    }

    public String base() {
        return base;
    }

    /** {@code faultline/helper:<first 12 hex digits of the content hash>}. */
    public String tag() {
        return tag;
    }

    String dockerfile() {
        return dockerfile;
    }

    /**
     * Makes sure the image exists on this engine, building it when it does not; returns the tag.
     * Thread-safe; concurrent callers wait for one build.
     */
    public String ensure(Engine engine) {
        if (READY.contains(tag)) {
            return tag;
        }
        synchronized (BUILD_LOCK) {
            if (READY.contains(tag)) {
                return tag;
            }
            if (!engine.imageExists(tag)) {
                build(engine);
            }
            READY.add(tag);
            return tag;
        }
    }

    private void build(Engine engine) {
        LOG.info("Building helper image {} from base {} (once; later runs reuse it)", tag, base);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("faultline-helper-");
            Files.writeString(dir.resolve("Dockerfile"), dockerfile);
            engine.buildImage(dir, tag, Map.of("BASE", base), BUILD_TIMEOUT);
        } catch (RuntimeException e) {
            throw new HelperException("could not build the helper image " + tag + " FROM " + base + ": " + e.getMessage()
                    + ". The base must exist locally or be pullable; choose another with -D" + BASE_PROPERTY
                    + "=<image> (e.g. debian:trixie-slim, or the image tools/base-image.sh imports where no registry is reachable)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the helper image's build context", e);
        } finally {
            if (dir != null) {
                try {
                    Files.deleteIfExists(dir.resolve("Dockerfile"));
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // a leftover temp folder is harmless
                }
            }
        }
    }

    private static String readDockerfile() {
        try (InputStream in = HelperImage.class.getResourceAsStream(DOCKERFILE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("helper Dockerfile missing from the class path next to " + HelperImage.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the helper Dockerfile", e);
        }
    }

    private static String hash(String content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return tag + " (base " + base + ")";
    }
}
