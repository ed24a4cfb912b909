package dev.faultline.core.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.core.engine.ContainerState;
import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The adapter's pure parts: version choice, endpoint locality, log and time parsing. */
class DockerEngineTest {

    @Test
    void pinsTheLowerOfEngineAndLibraryVersions() {
        assertThat(DockerConnection.negotiate("1.41", "1.12").getVersion()).isEqualTo("1.41"); // Docker 20.10
        assertThat(DockerConnection.negotiate("1.52", "1.44").getVersion()).isEqualTo("1.44"); // Docker 29
        assertThat(DockerConnection.negotiate("1.44", "1.24").getVersion()).isEqualTo("1.44");
        assertThat(DockerConnection.negotiate("1.30", null).getVersion()).isEqualTo("1.30");
    }

    @Test
    void knowsLocalEndpoints() {
        assertThat(DockerConnection.isLocal(URI.create("unix:///var/run/docker.sock"))).isTrue();
        assertThat(DockerConnection.isLocal(URI.create("tcp://127.0.0.1:2375"))).isTrue();
        assertThat(DockerConnection.isLocal(URI.create("tcp://localhost:2375"))).isTrue();
        assertThat(DockerConnection.isLocal(URI.create("tcp://[::1]:2375"))).isTrue();
        assertThat(DockerConnection.isLocal(URI.create("tcp://192.0.2.10:2375"))).isFalse();
    }

    @Test
    void parsesTimestampedLogLines() {
        var line = DockerLogs.parseLogLine("c1", true, "2026-11-27T05:53:55.123456789Z [ERROR] boom \r");
        assertThat(line.time()).isEqualTo(Instant.parse("2026-11-27T05:53:55.123456789Z"));
        assertThat(line.text()).isEqualTo("[ERROR] boom ");
        assertThat(line.stderr()).isTrue();
        assertThat(DockerLogs.parseLogLine("c1", false, "no stamp here").text()).isEqualTo("no stamp here");
    }

    @Test
    void mapsStatesAndNeverTimes() {
        assertThat(DockerMapping.stateOf("restarting")).isEqualTo(ContainerState.RESTARTING);
        assertThat(DockerMapping.stateOf("weird")).isEqualTo(ContainerState.UNKNOWN);
        assertThat(DockerMapping.parseInstant("0001-01-01T00:00:00Z")).isNull();
        assertThat(DockerMapping.parseInstant("2026-11-27T05:53:55.1Z")).isEqualTo(Instant.parse("2026-11-27T05:53:55.1Z"));
    }
}
