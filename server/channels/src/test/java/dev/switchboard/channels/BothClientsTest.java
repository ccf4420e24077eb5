package dev.switchboard.channels;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One event bus for both kinds of client: a broadcast to a namespace room reaches a plain subscriber (npm ws) and a
 * Socket.IO subscriber (socket.io-client), a plain publish reaches the Socket.IO room; plus Origin, heartbeat and
 * the metrics channel.
 */
class BothClientsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void roomBroadcastReachesPlainAndSocketIoSubscribers() {
        try (ChannelsFixture server = new ChannelsFixture();
             NodeClientDriver driver = NodeClientDriver.start();
             NodePlainClient plain = NodePlainClient.connect(server.wsUrl()).awaitOpen()) {
            NodeSocket sio = driver.connect(server.ioUrl(), "/mcp");
            sio.awaitConnect(WAIT);
            assertThat(sio.emitWithAck("join", WAIT, "agent:42").get(0).asText()).isEqualTo("joined");

            plain.send("{\"type\":\"auth\",\"agent_id\":\"42\",\"session_id\":\"" + ChannelsFixture.session("42") + "\",\"id\":\"a\"}");
            assertThat(plain.awaitReply("a", WAIT).path("success").asBoolean()).isTrue();
            plain.send("{\"type\":\"subscribe\",\"channel\":\"agents/42\",\"id\":\"s\"}");
            assertThat(plain.awaitReply("s", WAIT).path("success").asBoolean()).isTrue();

            // what POST /emit does: namespace.to(room).emit(event, data)
            int reached = server.mcp.to("agent:42").emit("job", Map.of("step", 1, "name", "build"));
            assertThat(reached).isEqualTo(1);
            JsonNode sioArgs = sio.awaitEvent("job", WAIT);
            assertThat(sioArgs.get(0).path("name").asText()).isEqualTo("build");
            JsonNode plainEvent = plain.await(m -> "agents/42".equals(m.path("channel").asText()), WAIT, "job on agents/42");
            assertThat(plainEvent.path("event").asText()).isEqualTo("job");
            assertThat(plainEvent.path("data").path("step").asInt()).isEqualTo(1);

            // a permitted plain publish reaches the Socket.IO room (and comes back to the plain subscriber)
            plain.send("{\"type\":\"publish\",\"channel\":\"agents/42\",\"event\":\"progress\",\"data\":{\"pct\":50},\"id\":\"p\"}");
            assertThat(plain.awaitReply("p", WAIT).path("success").asBoolean()).isTrue();
            assertThat(sio.awaitEvent("progress", WAIT).get(0).path("pct").asInt()).isEqualTo(50);
            assertThat(plain.await(m -> "progress".equals(m.path("event").asText()), WAIT, "own publish").path("channel").asText())
                    .isEqualTo("agents/42");

            // a broadcast to another room reaches neither
            sio.clearEvents();
            server.mcp.to("agent:43").emit("job", "not yours");
            plain.send("{\"type\":\"ping\",\"id\":\"after\"}");
            plain.awaitReply("after", WAIT);
            sio.assertNoEvent("job", Duration.ofMillis(300));
        }
    }

    @Test
    void metricsChannelPushesSnapshotsWithCountsButNoChannelNames() {
        try (ChannelsFixture server = new ChannelsFixture(PlainChannelsOptions.defaults().withMetricsInterval(Duration.ofMillis(200)));
             JavaPlainClient c = JavaPlainClient.connect(server.wsUrl())) {
            c.send("{\"type\":\"subscribe\",\"channel\":\"topics/a\",\"id\":\"1\"}");
            c.send("{\"type\":\"subscribe\",\"channel\":\"metrics\",\"id\":\"2\"}");
            c.awaitReply("2", WAIT);
            server.mcp.to("topic:a").emit("tick", 1);
            JsonNode later = c.await(m -> "metrics".equals(m.path("channel").asText())
                    && m.path("data").path("eventsPerMinute").asLong() >= 1, WAIT, "snapshot counting the tick");
            JsonNode data = later.path("data");
            assertThat(data.path("connections").path("plain").asInt()).isEqualTo(1);
            assertThat(data.path("channels").path("count").asInt()).isEqualTo(2);
            assertThat(data.path("channels").path("subscriptions").asInt()).isEqualTo(2);
            assertThat(data.toString()).as("a public snapshot names no channel").doesNotContain("topics/a");
            Await.until(() -> c.all(m -> "metrics".equals(m.path("channel").asText())).size() >= 3, "periodic snapshots");
            assertThat(server.channels.report()).containsEntry("connections", 1).containsEntry("channelCount", 2)
                    .containsEntry("subscribers", Map.of("metrics", 1, "topics/a", 1));
            assertThat(server.channels.summary()).containsEntry("channelCount", 2).containsEntry("subscriptions", 2)
                    .doesNotContainKey("subscribers");
        }
    }

    @Test
    void foreignOriginIsRefusedWhenCorsIsConfigured() {
        try (ChannelsFixture server = new ChannelsFixture(PlainChannelsOptions.defaults(),
                ChannelsFixture.engine().corsOrigins(List.of("https://app.example.com")))) {
            try (NodePlainClient evil = NodePlainClient.connect(server.wsUrl(), "https://evil.example.com")) {
                assertThat(evil.awaitLine("unexpected", WAIT).path("status").asInt()).isEqualTo(403);
            }
            try (NodePlainClient good = NodePlainClient.connect(server.wsUrl(), "https://app.example.com")) {
                assertThat(good.awaitOpen().await(m -> "connected".equals(m.path("type").asText()), WAIT, "connected")).isNotNull();
            }
        }
    }

    @Test
    void heartbeatPingsLiveClientsAndDropsSilentOnes() throws IOException {
        try (ChannelsFixture server = new ChannelsFixture(PlainChannelsOptions.defaults(), ChannelsFixture.engine()
                .pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofMillis(300)))) {
            try (NodePlainClient live = NodePlainClient.connect(server.wsUrl()).awaitOpen()) {
                live.awaitLine("ping", WAIT); // ws answers pings with pongs by itself
                live.send("{\"type\":\"ping\",\"id\":\"still\"}");
                live.awaitLine("ping", WAIT);
                assertThat(live.await(m -> "ack".equals(m.path("type").asText()), WAIT, "ack of ping").path("id").asText())
                        .isEqualTo("still");
                assertThat(server.channels.connections()).isEqualTo(1);
            }
            // a client that completes the upgrade and then never answers: closed after pingInterval + pingTimeout
            try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), server.io.port())) {
                raw.setSoTimeout((int) WAIT.toMillis());
                OutputStream out = raw.getOutputStream();
                out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = raw.getInputStream();
                long start = System.nanoTime();
                byte[] buffer = new byte[4096];
                StringBuilder seen = new StringBuilder();
                while (in.read(buffer) >= 0) {
                    seen.append(new String(buffer, StandardCharsets.ISO_8859_1));
                }
                long tookMs = (System.nanoTime() - start) / 1_000_000;
                assertThat(seen.toString()).startsWith("HTTP/1.1 101");
                assertThat(tookMs).as("closed after the missed pong").isBetween(500L, 9_000L); // below WAIT: a socket never closed times the read out
            }
            Await.until(() -> server.channels.connections() == 0, "silent client released");
        }
    }
}
