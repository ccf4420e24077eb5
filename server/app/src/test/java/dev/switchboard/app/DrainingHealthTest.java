package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.emitapi.ServerStatus;
import dev.switchboard.namespaces.core.NamespaceContext;
import dev.switchboard.namespaces.core.RunningNamespace;
import dev.switchboard.namespaces.core.SwitchboardNamespace;

/** While producers stop, /health already says draining (503) and the API still answers. */
class DrainingHealthTest {

    /** Reads /health from inside its own close(), i.e. in the middle of the shutdown sequence. */
    private static final class ProbingNamespace implements SwitchboardNamespace, RunningNamespace {
        volatile int apiPort;
        volatile Http.Reply seenWhileClosing;

        @Override
        public String name() {
            return "/probe";
        }

        @Override
        public RunningNamespace install(NamespaceContext context) {
            return this;
        }

        @Override
        public int activeStreams() {
            return 0;
        }

        @Override
        public void close() {
            seenWhileClosing = Http.get(apiPort, "/health");
        }
    }

    @Test
    void healthSaysDrainingDuringShutdown() {
        ProbingNamespace probe = new ProbingNamespace();
        SwitchboardServer server = TestServers.start(Map.of(), List.of(probe));
        probe.apiPort = server.apiPort();
        assertThat(Http.get(server.apiPort(), "/health").json().path("status").asText()).isEqualTo("healthy");

        server.close();

        assertThat(server.status()).isEqualTo(ServerStatus.DRAINING);
        assertThat(probe.seenWhileClosing.status()).isEqualTo(503);
        assertThat(probe.seenWhileClosing.json().path("status").asText()).isEqualTo("draining");
    }
}
