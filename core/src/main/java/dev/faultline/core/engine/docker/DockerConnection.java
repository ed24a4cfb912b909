package dev.faultline.core.engine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.faultline.core.engine.EngineInfo;
import dev.faultline.core.engine.NoEngineException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Finding the engine and agreeing an API version with it, then the two clients every call goes
 * through.
 *
 * <p>docker-java does not negotiate the API version, and engines disagree on what they accept
 * (20.10 tops out at 1.41, Docker 29 refuses anything below 1.44). So opening asks
 * {@code /version} on an unversioned connection and pins {@code min(engine, docker-java)}.
 *
 * <p>Two clients: one for quick calls with a response timeout, one without it for calls that
 * legitimately stay open (events, stats, exec output, builds, waits), each bounded by a timed
 * await instead. Separate clients also keep a long stream from blocking short calls.
 */
final class DockerConnection {

    /** The newest API version docker-java 3.7.1 models. */
    static final RemoteApiVersion HIGHEST_SUPPORTED = RemoteApiVersion.VERSION_1_44;
    static final String DEFAULT_ENDPOINT = "unix:///var/run/docker.sock";
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final String FIX = "start it: sudo tools/engine-up.sh, or set DOCKER_HOST to a running engine";

    final String endpoint;
    /** For calls that answer at once; bounded by {@link #RESPONSE_TIMEOUT}. */
    final DockerClient quick;
    /** For calls that stay open; each caller bounds its own wait. */
    final DockerClient streaming;
    final EngineInfo info;

    private DockerConnection(String endpoint, DockerClient quick, DockerClient streaming, EngineInfo info) {
        this.endpoint = endpoint;
        this.quick = quick;
        this.streaming = streaming;
        this.info = info;
    }

    /** @throws NoEngineException when nothing answers at {@code endpoint} */
    static DockerConnection open(String endpoint) {
        URI uri = parseEndpoint(endpoint);
        if ("unix".equals(uri.getScheme()) && !Files.exists(Path.of(uri.getPath()))) {
            throw new NoEngineException("No Docker engine at " + endpoint + ": the socket " + uri.getPath()
                    + " does not exist; " + FIX, null);
        }
        Version version;
        RemoteApiVersion pinned;
        try {
            DockerClient probe = client(uri, RemoteApiVersion.UNKNOWN_VERSION, RESPONSE_TIMEOUT);
            version = probe.versionCmd().exec();
            DockerCalls.closeQuietly(probe);
            pinned = negotiate(version.getApiVersion(), version.getMinAPIVersion());
        } catch (RuntimeException e) {
            throw new NoEngineException("No Docker engine answered at " + endpoint + " (GET /version failed: "
                    + DockerCalls.describe(e) + "); " + FIX, e);
        }
        EngineInfo info = new EngineInfo(version.getVersion(), pinned.getVersion(), endpoint,
                version.getOperatingSystem(), version.getKernelVersion(), isLocal(uri));
        return new DockerConnection(endpoint, client(uri, pinned, RESPONSE_TIMEOUT), client(uri, pinned, null), info);
    }

    /** min(engine's API version, the highest docker-java speaks), never below the engine's minimum. */
    static RemoteApiVersion negotiate(String engineApi, String engineMinApi) {
        RemoteApiVersion server = RemoteApiVersion.parseConfig(engineApi);
        RemoteApiVersion chosen = server.isGreater(HIGHEST_SUPPORTED) ? HIGHEST_SUPPORTED : server;
        if (engineMinApi != null && !engineMinApi.isBlank()) {
            RemoteApiVersion min = RemoteApiVersion.parseConfig(engineMinApi);
            if (min.isGreater(chosen)) {
                chosen = min;
            }
        }
        return chosen;
    }

    private static URI parseEndpoint(String endpoint) {
        try {
            URI uri = URI.create(endpoint);
            if (uri.getScheme() == null || !List.of("unix", "tcp", "http", "https", "npipe").contains(uri.getScheme())) {
                throw new IllegalArgumentException("scheme must be unix, tcp, http, https or npipe");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new NoEngineException("Cannot use Docker endpoint '" + endpoint + "': " + e.getMessage()
                    + "; expected e.g. unix:///var/run/docker.sock or tcp://127.0.0.1:2375", e);
        }
    }

    static boolean isLocal(URI uri) {
        if ("unix".equals(uri.getScheme()) || "npipe".equals(uri.getScheme())) {
            return true;
        }
        String host = uri.getHost();
        if (host == null || host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (Exception e) {
            return false;
        }
    }

    private static DockerClient client(URI uri, RemoteApiVersion api, Duration responseTimeout) {
        DefaultDockerClientConfig.Builder config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(uri.toString());
        if (api != RemoteApiVersion.UNKNOWN_VERSION) {
            config.withApiVersion(api);
        }
        DefaultDockerClientConfig built = config.build();
        ZerodepDockerHttpClient.Builder http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(built.getDockerHost())
                .sslConfig(built.getSSLConfig())
                .maxConnections(64)
                .connectionTimeout(CONNECT_TIMEOUT);
        if (responseTimeout != null) {
            http.responseTimeout(responseTimeout);
        }
        DockerHttpClient httpClient = http.build();
        return DockerClientImpl.getInstance(built, httpClient);
    }
}
