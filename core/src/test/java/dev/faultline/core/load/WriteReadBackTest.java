package dev.faultline.core.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

class WriteReadBackTest {

    @StartStop
    private final MockWebServer server = new MockWebServer();

    String base() {
        return "http://" + server.getHostName() + ":" + server.getPort() + "/";
    }

    @Test
    void a404IsALostWriteAndEachIdIsAskedAtItsPath() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).build());
        server.enqueue(new MockResponse.Builder().code(404).build());
        server.enqueue(new MockResponse.Builder().code(200).build());
        assertThat(WriteReadBack.lost(base(), "/api/items/{id}/", List.of(1L, 2L, 3L))).containsExactly(2L);
        assertThat(server.takeRequest().getTarget()).isEqualTo("/api/items/1/");
    }

    @Test
    void anyOtherAnswerMeansTheCheckFailed() {
        server.enqueue(new MockResponse.Builder().code(500).build());
        assertThatThrownBy(() -> WriteReadBack.lost(base(), "/w/{id}", List.of(7L)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("could not read back write 7 at " + base() + "w/7: status 500");
    }
}
