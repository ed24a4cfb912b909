package dev.faultline.core.engine.docker;

import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.NoEngineException;

/**
 * The shared engine of this JVM, found once and kept (one client, one connection pool), in the
 * way Testcontainers' DockerClientFactory does. Callers never close it.
 *
 * <p>It lives next to the adapter it creates, not in {@code dev.faultline.core.engine}, so that the
 * engine interface never depends on its implementation (no package cycle).
 */
public final class Engines {

    private static final Object LOCK = new Object();
    private static volatile Engine docker;

    private Engines() {}

    /**
     * The Docker engine at {@code DOCKER_HOST}, or the local socket {@code /var/run/docker.sock}.
     * Only a successful connection is remembered, so a call after the engine was started succeeds.
     *
     * @throws NoEngineException when nothing answers there
     */
    public static Engine docker() {
        Engine engine = docker;
        if (engine == null) {
            synchronized (LOCK) {
                engine = docker;
                if (engine == null) {
                    engine = DockerEngine.fromEnvironment(System.getenv());
                    docker = engine;
                }
            }
        }
        return engine;
    }

    /**
     * A new connection to the engine at {@code endpoint} ({@code unix:///var/run/docker.sock}, {@code tcp://10.0.0.5:2375}),
     * e.g. a swarm node's; the caller keeps it for as long as it needs it.
     *
     * @throws NoEngineException when nothing answers there
     */
    public static Engine connect(String endpoint) {
        return DockerEngine.connect(endpoint);
    }
}
