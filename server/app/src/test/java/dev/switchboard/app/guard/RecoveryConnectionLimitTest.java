package dev.switchboard.app.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.app.EchoNamespace;
import dev.switchboard.app.Http;
import dev.switchboard.app.SwitchboardServer;
import dev.switchboard.app.TestServers;
import dev.switchboard.testkit.RawWebSocket;

/**
 * A recovered session skips the namespace middleware (as Node's skipMiddlewares), where the per-address
 * connection check runs: without a check of its own, a client could park sessions (cut its transport), fill its
 * share with fresh connections, then recover the parked ones beyond MAX_CONNECTIONS_PER_IP.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecoveryConnectionLimitTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRecoveredSessionDoesNotTakeTheAddressBeyondItsConnectionLimit() throws Exception {
        SwitchboardServer server = TestServers.start(Map.of(
                "MAX_CONNECTIONS_PER_IP", "2",
                "RECOVERY_MAX_DISCONNECTION_MS", "60000"), EchoNamespace.of("/chat"));
        List<RawWebSocket> open = new ArrayList<>();
        try {
            RawWebSocket parked = RawWebSocket.engineIo(server.wsPort());
            parked.awaitOpen();
            JsonNode session = connect(parked, "");
            assertThat(session.path("pid").asText()).as("recovery on: the CONNECT reply has a pid").isNotEmpty();
            open.add(connected(server));
            Http.emit(server, "{\"namespace\":\"/chat\",\"event\":\"line\",\"data\":1}");
            String line = nextEvent(parked);
            JsonNode args = JSON.readTree(line.substring(line.indexOf('[')));
            String offset = args.get(args.size() - 1).asText();
            parked.close(); // transport close: recoverable, the slot is released

            // a fresh connection takes the released slot: the address is at its limit of 2 again
            RawWebSocket fresh = RawWebSocket.engineIo(server.wsPort());
            open.add(fresh);
            fresh.awaitOpen();
            long deadline = System.nanoTime() + WAIT.toNanos();
            String reply;
            do { // until the server has seen the parked transport close
                fresh.sendText("40/chat,");
                reply = fresh.nextText();
            } while (reply.contains("TOO_MANY_CONNECTIONS") && System.nanoTime() < deadline);
            assertThat(reply).startsWith("40/chat,{");
            nextEvent(fresh, "connected"); // the namespace greets after admission: the slot is taken

            RawWebSocket recovering = RawWebSocket.engineIo(server.wsPort());
            open.add(recovering);
            recovering.awaitOpen();
            recovering.sendText("40/chat," + JSON.writeValueAsString(Map.of(
                    "pid", session.path("pid").asText(), "offset", offset)));
            // recovered sessions skip the middleware: it is admitted, then told why and disconnected
            assertThat(recovering.nextText()).startsWith("40/chat,{");
            assertThat(recovering.nextText()).as("a third connection from one address with MAX_CONNECTIONS_PER_IP=2")
                    .startsWith("42/chat,[\"error\",").contains("\"code\":\"TOO_MANY_CONNECTIONS\"");
            assertThat(recovering.nextText()).isEqualTo("41/chat,");

            // and it took no slot: when one of the two leaves, a new connection is admitted at once
            open.get(0).close();
            RawWebSocket next = RawWebSocket.engineIo(server.wsPort());
            open.add(next);
            next.awaitOpen();
            deadline = System.nanoTime() + WAIT.toNanos();
            do { // until the server has seen that close
                next.sendText("40/chat,");
                reply = next.nextText();
            } while (reply.contains("TOO_MANY_CONNECTIONS") && System.nanoTime() < deadline);
            assertThat(reply).startsWith("40/chat,{");
        } finally {
            for (RawWebSocket ws : open) {
                ws.close();
            }
            server.close();
        }
    }

    private static RawWebSocket connected(SwitchboardServer server) throws IOException {
        RawWebSocket ws = RawWebSocket.engineIo(server.wsPort());
        ws.awaitOpen();
        connect(ws, "");
        nextEvent(ws, "connected"); // greeted after admission: its slot is taken
        return ws;
    }

    private static JsonNode connect(RawWebSocket ws, String auth) throws IOException {
        ws.sendText("40/chat," + auth);
        String reply = ws.nextText();
        assertThat(reply).startsWith("40/chat,{");
        return JSON.readTree(reply.substring("40/chat,".length()));
    }

    private static String nextEvent(RawWebSocket ws) throws IOException {
        return nextEvent(ws, "line");
    }

    /** The next event of that name (nextText's own deadline bounds the wait). */
    private static String nextEvent(RawWebSocket ws, String event) throws IOException {
        while (true) {
            String text = ws.nextText();
            if (text.startsWith("42/chat,[\"" + event + "\"")) {
                return text;
            }
        }
    }
}
