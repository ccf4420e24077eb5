package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;
import dev.switchboard.testkit.Cleanup;

/** Per-user rooms from the handshake query, /metrics scraped and parsed, /health on both ports, /stats. */
class UserRoomsMetricsHealthTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** One sample line of the Prometheus text format: name, optional labels, value. */
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)$");

    private static SwitchboardServer server;
    private static NodeClientDriver driver;
    private static NodeSocket alice;
    private static NodeSocket bob;
    private static NodeSocket anonymous;

    @BeforeAll
    static void start() {
        server = TestServers.start(Map.of(), EchoNamespace.of("/chat", "/other"));
        driver = NodeClientDriver.start();
        String url = TestServers.url(server);
        alice = driver.connect(url, "/chat", ClientOptions.defaults().query(Map.of("userId", "alice", "threadId", "t-1")));
        bob = driver.connect(url, "/chat", ClientOptions.defaults().query(Map.of("userId", "bob")));
        anonymous = driver.connect(url, "/chat", ClientOptions.defaults());
        for (NodeSocket socket : List.of(alice, bob, anonymous)) {
            socket.awaitConnect(WAIT);
            socket.awaitEvent("connected", WAIT);
        }
    }

    @AfterAll
    static void stop() {
        Cleanup.closeAll(driver, server);
    }

    @Test
    void handshakeQueryIsAvailableAndUserIdJoinsTheUserRoom() {
        JsonNode me = alice.emitWithAck("whoami", WAIT).get(0);
        assertThat(me.path("userId").asText()).isEqualTo("alice");
        assertThat(me.path("threadId").asText()).isEqualTo("t-1");
        assertThat(me.path("rooms").toString()).contains("user:alice");
        assertThat(anonymous.emitWithAck("whoami", WAIT).get(0).path("rooms").toString()).doesNotContain("user:");
    }

    @Test
    void emitToAUserRoomReachesOnlyThatUser() {
        assertThat(Http.emit(server, "{\"namespace\":\"/chat\",\"room\":\"user:bob\",\"event\":\"dm\",\"data\":{\"n\":1}}"))
                .isEqualTo(1);
        assertThat(bob.awaitEvent("dm", WAIT).get(0).path("n").asInt()).isEqualTo(1);
        alice.assertNoEvent("dm", Duration.ofMillis(300));
        anonymous.assertNoEvent("dm", Duration.ZERO);
    }

    @Test
    void badUserIdIsRefused() {
        NodeSocket socket = driver.connect(TestServers.url(server), "/chat",
                ClientOptions.defaults().query(Map.of("userId", "x".repeat(200))));
        assertThat(socket.awaitConnectError(WAIT).path("data").path("code").asText()).isEqualTo("BAD_REQUEST");
    }

    @Test
    void onAnExposedServerAQueryUserIdJoinsNoUserRoom() {
        // anyone can write ?userId=alice: without a verified identity (JWT sub) it must not open alice's room
        SwitchboardServer exposed = TestServers.start(Map.of("TRUST_PROXY", "true"), EchoNamespace.of("/chat"));
        try {
            NodeSocket mallory = driver.connect(TestServers.url(exposed), "/chat",
                    ClientOptions.defaults().query(Map.of("userId", "alice")));
            mallory.awaitConnect(WAIT);
            JsonNode me = mallory.emitWithAck("whoami", WAIT).get(0);
            assertThat(me.path("rooms").toString()).doesNotContain("user:alice");
            assertThat(me.path("userId").asText()).as("the query is still readable by handlers").isEqualTo("alice");
        } finally {
            exposed.close();
        }
    }

    @Test
    void metricsAreValidPrometheusTextWithOurMeters() {
        alice.emit("ping", 1);
        alice.awaitEvent("pong", WAIT);
        Http.emit(server, "{\"namespace\":\"/other\",\"event\":\"nobody\"}");
        Await.until(() -> sample(scrape(), "switchboard_events_in_total", "namespace=\"/chat\"") >= 1, WAIT, "events in counted");
        // an emit is counted after it was handed to the transport: alice may hold the pong before it is counted
        Await.until(() -> sample(scrape(), "switchboard_events_out_total", "namespace=\"/chat\"") >= 4, WAIT,
                "3 greetings and the pong counted out");

        Map<String, Double> samples = scrape();
        assertThat(sample(samples, "switchboard_connections", "namespace=\"/chat\"")).isGreaterThanOrEqualTo(3);
        assertThat(sample(samples, "switchboard_connections", "namespace=\"/other\"")).isZero();
        assertThat(sample(samples, "switchboard_events_out_total", "namespace=\"/chat\"")).isGreaterThanOrEqualTo(4);
        assertThat(sample(samples, "switchboard_emits_total", "namespace=\"/other\"")).isGreaterThanOrEqualTo(1);
        assertThat(sample(samples, "switchboard_active_streams", "")).isZero();
        assertThat(samples.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes{"));
    }

    @Test
    void healthOnTheApiAndOnThePublicPortAgree() {
        Http.Reply api = Http.get(server.apiPort(), "/health");
        Http.Reply pub = Http.get(server.wsPort(), "/health");
        for (Http.Reply reply : List.of(api, pub)) {
            assertThat(reply.status()).isEqualTo(200);
            JsonNode health = reply.json();
            assertThat(health.path("success").asBoolean()).isTrue();
            assertThat(health.path("status").asText()).isEqualTo("healthy");
            assertThat(health.path("connections").path("chat").asInt()).isGreaterThanOrEqualTo(3);
            assertThat(health.path("connections").has("other")).isTrue();
            assertThat(health.path("activeStreams").asInt(-1)).isZero();
            assertThat(health.path("version").asText()).isNotBlank();
        }
    }

    @Test
    void publicPortServesTheDashboardAndNothingOutsideIt() {
        Http.Reply index = Http.get(server.wsPort(), "/ui/");
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.body()).contains("<html");
        assertThat(Http.get(server.wsPort(), "/ui/index.html").body()).isEqualTo(index.body());
        assertThat(Http.get(server.wsPort(), "/ui/../logback.xml").status()).isEqualTo(404);
        assertThat(Http.get(server.wsPort(), "/ui/%2e%2e/logback.xml").status()).isEqualTo(404);
        assertThat(Http.get(server.wsPort(), "/ui/missing.js").status()).isEqualTo(404);
    }

    @Test
    void statsListRoomsAndCounts() {
        JsonNode stats = Http.get(server.apiPort(), "/stats").json();
        JsonNode chat = stats.path("namespaces").path("/chat");
        assertThat(chat.path("sockets").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(chat.path("rooms").path("user:alice").asInt()).isEqualTo(1);
        assertThat(chat.path("eventsOut").asLong()).isPositive();
    }

    private static Map<String, Double> scrape() {
        Http.Reply reply = Http.get(server.apiPort(), "/metrics");
        assertThat(reply.status()).isEqualTo(200);
        Map<String, Double> samples = new HashMap<>();
        for (String line : reply.body().split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("Prometheus sample line: %s", line).isTrue();
            samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), parseValue(m.group(3)));
        }
        return samples;
    }

    private static double parseValue(String value) {
        return switch (value) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(value); // also "NaN"
        };
    }

    /** Value of the first sample of {@code name} whose labels contain {@code label}; -1 when none. */
    private static double sample(Map<String, Double> samples, String name, String label) {
        return samples.entrySet().stream()
                .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{") && e.getKey().contains(label))
                .mapToDouble(Map.Entry::getValue).findFirst().orElse(-1);
    }
}
