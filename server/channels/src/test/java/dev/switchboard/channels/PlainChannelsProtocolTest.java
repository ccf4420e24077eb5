package dev.switchboard.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The message contract over java.net.http.WebSocket: acks, every error code, auth, publish. */
class PlainChannelsProtocolTest {
    private static final Duration WAIT = Duration.ofSeconds(15); // a deadline, not a pause
    private static ChannelsFixture server;

    @BeforeAll
    static void start() {
        server = new ChannelsFixture(PlainChannelsOptions.defaults().withMaxMessageBytes(1024).withRate(1, 20, 0)
                .withMaxSubscriptions(3));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JavaPlainClient client() {
        JavaPlainClient c = JavaPlainClient.connect(server.wsUrl());
        JsonNode hello = c.await(m -> "connected".equals(m.path("type").asText()), WAIT, "connected");
        assertThat(hello.path("client_id").asText()).hasSizeGreaterThan(10);
        return c;
    }

    @Test
    void subscribeIsAckedWithTheClientsIdStringOrNumber() {
        try (JavaPlainClient c = client()) {
            c.send("{\"type\":\"subscribe\",\"channel\":\"global\",\"id\":\"a1\"}");
            JsonNode ack = c.awaitReply("a1", WAIT);
            assertThat(ack.path("type").asText()).isEqualTo("ack");
            assertThat(ack.path("success").asBoolean()).isTrue();
            c.send("{\"type\":\"subscribe\",\"channel\":\"topics/build\",\"id\":42}");
            JsonNode numeric = c.awaitReply("42", WAIT);
            assertThat(numeric.path("id").isInt()).isTrue();
            assertThat(numeric.path("success").asBoolean()).isTrue();
            c.send("{\"type\":\"unsubscribe\",\"channel\":\"topics/build\",\"id\":\"u1\"}");
            assertThat(c.awaitReply("u1", WAIT).path("success").asBoolean()).isTrue();
            c.send("{\"type\":\"unsubscribe\",\"channel\":\"topics/build\",\"id\":\"u2\"}");
            assertThat(c.awaitReply("u2", WAIT).path("success").asBoolean()).as("not subscribed any more").isFalse();
            Await.until(() -> server.channels.subscriberCounts().getOrDefault("global", 0) == 1, "global count");
            assertThat(server.channels.subscriberCounts()).doesNotContainKey("topics/build");
        }
    }

    @Test
    void unknownChannelIsInvalidChannel() {
        try (JavaPlainClient c = client()) {
            c.send("{\"type\":\"subscribe\",\"channel\":\"nope/1/2\",\"id\":\"x\"}");
            assertError(c.awaitReply("x", WAIT), ChannelError.INVALID_CHANNEL);
            c.send("{\"type\":\"subscribe\",\"channel\":\"agents/bad id\",\"id\":\"y\"}");
            assertError(c.awaitReply("y", WAIT), ChannelError.INVALID_CHANNEL);
        }
    }

    @Test
    void badMessagesAreInvalidMessage() {
        try (JavaPlainClient c = client()) {
            c.send("not json");
            assertError(c.await(m -> m.has("error"), WAIT, "error for non-JSON"), ChannelError.INVALID_MESSAGE);
            c.send("{\"type\":\"dance\",\"id\":\"t1\"}");
            assertError(c.awaitReply("t1", WAIT), ChannelError.INVALID_MESSAGE);
            c.send("{\"type\":\"subscribe\",\"channel\":7,\"id\":\"t2\"}");
            assertError(c.awaitReply("t2", WAIT), ChannelError.INVALID_MESSAGE);
            c.send("{\"type\":\"publish\",\"channel\":\"global\",\"id\":\"t3\"}");
            assertError(c.awaitReply("t3", WAIT), ChannelError.INVALID_MESSAGE);
            c.send("{\"id\":\"t4\"}");
            assertError(c.awaitReply("t4", WAIT), ChannelError.INVALID_MESSAGE);
            c.send("{\"type\":\"auth\",\"agent_id\":\"a\",\"id\":\"t5\"}");
            assertError(c.awaitReply("t5", WAIT), ChannelError.INVALID_MESSAGE);
            c.send("[1,2]");
            // the connection survives bad input; replies come in order
            c.send("{\"type\":\"ping\",\"id\":\"p\"}");
            assertThat(c.await(m -> "pong".equals(m.path("type").asText()), WAIT, "pong").path("id").asText()).isEqualTo("p");
            assertThat(c.all(m -> m.has("error"))).hasSize(7);
            assertThat(c.await(m -> "ack".equals(m.path("type").asText()) && "p".equals(m.path("id").asText()), WAIT, "ack of ping")
                    .path("success").asBoolean()).isTrue();
        }
    }

    @Test
    void privateChannelNeedsAuth() {
        try (JavaPlainClient c = client()) {
            c.send("{\"type\":\"subscribe\",\"channel\":\"agents/7\",\"id\":\"s1\"}");
            assertError(c.awaitReply("s1", WAIT), ChannelError.UNAUTHORIZED);
            c.send("{\"type\":\"publish\",\"channel\":\"global\",\"event\":\"e\",\"data\":1,\"id\":\"p1\"}");
            assertError(c.awaitReply("p1", WAIT), ChannelError.UNAUTHORIZED);
            c.send("{\"type\":\"auth\",\"token\":\"wrong-token\",\"id\":\"a1\"}");
            assertError(c.awaitReply("a1", WAIT), ChannelError.UNAUTHORIZED);
            c.send("{\"type\":\"auth\",\"agent_id\":\"8\",\"session_id\":\"made-up\",\"id\":\"a0\"}");
            assertError(c.awaitReply("a0", WAIT), ChannelError.UNAUTHORIZED); // a session id the backend did not mint
            c.send("{\"type\":\"auth\",\"agent_id\":\"8\",\"session_id\":\"" + ChannelsFixture.session("8") + "\",\"id\":\"a2\"}");
            assertThat(c.awaitReply("a2", WAIT).path("success").asBoolean()).isTrue();
            c.send("{\"type\":\"subscribe\",\"channel\":\"agents/7\",\"id\":\"s2\"}");
            assertError(c.awaitReply("s2", WAIT), ChannelError.UNAUTHORIZED); // someone else's agent channel
            c.send("{\"type\":\"subscribe\",\"channel\":\"agents/8\",\"id\":\"s3\"}");
            assertThat(c.awaitReply("s3", WAIT).path("success").asBoolean()).isTrue();
            c.send("{\"type\":\"subscribe\",\"channel\":\"sessions/" + ChannelsFixture.session("8") + "\",\"id\":\"s4\"}");
            assertThat(c.awaitReply("s4", WAIT).path("success").asBoolean()).isTrue();
            c.send("{\"type\":\"subscribe\",\"channel\":\"metrics\",\"id\":\"s5\"}");
            assertThat(c.awaitReply("s5", WAIT).path("success").asBoolean()).isTrue();
            c.send("{\"type\":\"subscribe\",\"channel\":\"global\",\"id\":\"s6\"}");
            assertError(c.awaitReply("s6", WAIT), ChannelError.INVALID_MESSAGE); // limit of 3 subscriptions
        }
    }

    @Test
    void tokenGrantsChannelsOfItsNamespacesButNoOtherIdentitysRoom() {
        try (JavaPlainClient c = client()) {
            c.send("{\"type\":\"auth\",\"token\":\"" + ChannelsFixture.MCP_ONLY_TOKEN + "\",\"id\":\"a\"}");
            assertThat(c.awaitReply("a", WAIT).path("success").asBoolean()).isTrue();
            c.send("{\"type\":\"publish\",\"channel\":\"topics/x\",\"event\":\"e\",\"id\":\"p0\"}");
            assertError(c.awaitReply("p0", WAIT), ChannelError.UNAUTHORIZED);
            c.send("{\"type\":\"auth\",\"token\":\"" + ChannelsFixture.TOKEN + "\",\"id\":\"b\"}");
            assertThat(c.awaitReply("b", WAIT).path("success").asBoolean()).isTrue();
            c.send("{\"type\":\"publish\",\"channel\":\"topics/x\",\"event\":\"e\",\"id\":\"p1\"}");
            assertThat(c.awaitReply("p1", WAIT).path("success").asBoolean()).isTrue();
            // agent:7 is the room the server gives agent 7's verified identity: a token does not open it
            c.send("{\"type\":\"subscribe\",\"channel\":\"agents/7\",\"id\":\"t\"}");
            assertError(c.awaitReply("t", WAIT), ChannelError.UNAUTHORIZED);
        }
    }

    @Test
    void queryIdentityOpensOwnChannels() {
        try (JavaPlainClient c = JavaPlainClient.connect(server.wsUrl("agent_id=q1&session_id=" + ChannelsFixture.session("q1") + "&threadId=t1"))) {
            c.send("{\"type\":\"subscribe\",\"channel\":\"agents/q1\",\"id\":\"1\"}");
            assertThat(c.awaitReply("1", WAIT).path("success").asBoolean()).isTrue();
            c.send("{\"type\":\"subscribe\",\"channel\":\"agents/q2\",\"id\":\"2\"}");
            assertError(c.awaitReply("2", WAIT), ChannelError.UNAUTHORIZED);
        }
    }

    @Test
    void publishReachesOtherSubscribers() {
        try (JavaPlainClient sub = client(); JavaPlainClient pub = client()) {
            sub.send("{\"type\":\"subscribe\",\"channel\":\"topics/deploys\",\"id\":\"s\"}");
            sub.awaitReply("s", WAIT);
            pub.send("{\"type\":\"auth\",\"token\":\"" + ChannelsFixture.TOKEN + "\",\"id\":\"a\"}");
            pub.awaitReply("a", WAIT);
            pub.send("{\"type\":\"publish\",\"channel\":\"topics/deploys\",\"event\":\"done\",\"data\":{\"v\":3},\"id\":\"p\"}");
            assertThat(pub.awaitReply("p", WAIT).path("success").asBoolean()).isTrue();
            JsonNode event = sub.await(m -> "topics/deploys".equals(m.path("channel").asText()), WAIT, "published event");
            assertThat(event.path("event").asText()).isEqualTo("done");
            assertThat(event.path("data").path("v").asInt()).isEqualTo(3);
            assertThat(event.path("timestamp").asLong()).isGreaterThan(1_700_000_000_000L);
            pub.send("{\"type\":\"publish\",\"channel\":\"topics/deploys\",\"event\":\"disconnect\",\"id\":\"r\"}");
            assertError(pub.awaitReply("r", WAIT), ChannelError.INVALID_MESSAGE); // a reserved Socket.IO event name
            pub.send("{\"type\":\"publish\",\"channel\":\"metrics\",\"event\":\"fake\",\"data\":1,\"id\":\"m\"}");
            assertError(pub.awaitReply("m", WAIT), ChannelError.UNAUTHORIZED); // nobody publishes on metrics
        }
    }

    @Test
    void oversizedMessageIsPayloadTooLargeWithItsId() {
        try (JavaPlainClient c = client()) {
            String big = "x".repeat(2000);
            c.send("{\"type\":\"publish\",\"channel\":\"global\",\"event\":\"e\",\"data\":\"" + big + "\",\"id\":\"big\"}");
            assertError(c.awaitReply("big", WAIT), ChannelError.PAYLOAD_TOO_LARGE);
            c.send("{\"type\":\"ping\",\"id\":\"after\"}");
            c.awaitReply("after", WAIT); // still connected
        }
    }

    @Test
    void floodIsRateLimitedWithIds() {
        try (JavaPlainClient c = client()) {
            for (int i = 0; i < 30; i++) c.send("{\"type\":\"ping\",\"id\":\"r" + i + "\"}");
            JsonNode limited = c.await(m -> "RATE_LIMITED".equals(m.path("code").asText()), WAIT, "RATE_LIMITED");
            assertThat(limited.path("id").asText()).startsWith("r");
            c.awaitReply("r29", WAIT); // every message with an id got an answer
            assertThat(c.all(m -> "RATE_LIMITED".equals(m.path("code").asText())).size()).isBetween(8, 11);
        }
    }

    @Test
    void plainGetWithoutUpgradeIs426() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.ioUrl() + "/ws")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(426);
    }

    @Test
    void oversizedFrameAboveEngineMaxPayloadClosesWith1009() {
        try (ChannelsFixture small = new ChannelsFixture(PlainChannelsOptions.defaults(),
                ChannelsFixture.engine().maxPayload(4096));
             JavaPlainClient c = JavaPlainClient.connect(small.wsUrl())) {
            c.await(m -> "connected".equals(m.path("type").asText()), WAIT, "connected");
            try {
                c.send("{\"type\":\"ping\",\"pad\":\"" + "y".repeat(10_000) + "\"}");
            } catch (CompletionException ignored) {
                // the server may close while the frame is still being written
            }
            assertThat(c.awaitClose(WAIT)).isEqualTo(1009);
        }
    }

    /**
     * {@code topics/{topic}} is public: every client may name fresh rooms, up to WS_MAX_SUBSCRIPTIONS each. Summed
     * over clients, the rooms of a namespace followed here stay within MAX_ROOMS_PER_NAMESPACE: a channel of a new
     * room beyond it is LIMIT_EXCEEDED; channels with subscribers stay open to others and keep receiving.
     */
    @Test
    void channelRoomsOfAllClientsTogetherStayWithinTheNamespaceBound() {
        try (ChannelsFixture bounded = new ChannelsFixture(PlainChannelsOptions.defaults(),
                dev.switchboard.socketio.RoomAccess.anyRoom().withMaxRooms(3))) {
            List<JavaPlainClient> clients = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    JavaPlainClient c = JavaPlainClient.connect(bounded.wsUrl());
                    c.await(m -> "connected".equals(m.path("type").asText()), WAIT, "connected");
                    clients.add(c);
                }
                int accepted = 0;
                int refused = 0;
                for (int i = 0; i < 12; i++) {
                    JavaPlainClient c = clients.get(i % 3);
                    c.send("{\"type\":\"subscribe\",\"channel\":\"topics/fresh-" + i + "\",\"id\":\"f" + i + "\"}");
                    JsonNode reply = c.awaitReply("f" + i, WAIT);
                    if (reply.path("success").asBoolean()) {
                        accepted++;
                    } else {
                        assertError(reply, ChannelError.LIMIT_EXCEEDED);
                        refused++;
                    }
                }
                assertThat(accepted).as("rooms opened by three clients together").isEqualTo(3);
                assertThat(refused).isEqualTo(9);
                JavaPlainClient late = clients.get(2);
                late.send("{\"type\":\"subscribe\",\"channel\":\"topics/fresh-0\",\"id\":\"again\"}");
                assertThat(late.awaitReply("again", WAIT).path("success").asBoolean())
                        .as("a channel with subscribers stays open").isTrue();
                bounded.mcp.to("topic:fresh-0").emit("progress", 1);
                clients.get(0).await(m -> "progress".equals(m.path("event").asText()), WAIT, "progress on topics/fresh-0");
                late.await(m -> "progress".equals(m.path("event").asText()), WAIT, "progress for the late subscriber");
                clients.get(1).send("{\"type\":\"unsubscribe\",\"channel\":\"topics/fresh-1\",\"id\":\"u\"}");
                clients.get(1).awaitReply("u", WAIT);
                late.send("{\"type\":\"subscribe\",\"channel\":\"topics/fresh-new\",\"id\":\"n\"}");
                assertThat(late.awaitReply("n", WAIT).path("success").asBoolean()).as("an emptied room frees its place").isTrue();
            } finally {
                clients.forEach(JavaPlainClient::close);
            }
        }
    }

    @Test
    void connectionLimitPerIpRefusesTheUpgrade() {
        try (ChannelsFixture limited = new ChannelsFixture(PlainChannelsOptions.defaults().withConnections(10, 2));
             JavaPlainClient a = JavaPlainClient.connect(limited.wsUrl());
             JavaPlainClient b = JavaPlainClient.connect(limited.wsUrl())) {
            Await.until(() -> limited.channels.connections() == 2, "two open");
            assertThatThrownBy(() -> JavaPlainClient.connect(limited.wsUrl()))
                    .hasCauseInstanceOf(java.net.http.WebSocketHandshakeException.class)
                    .hasStackTraceContaining("429");
            assertThat(a).isNotNull();
            assertThat(b).isNotNull();
        }
    }

    @Test
    void behindATrustedProxyTheLimitCountsTheForwardedAddress() {
        PlainChannelsOptions options = PlainChannelsOptions.defaults().withConnections(10, 1).withTrustProxy(dev.switchboard.engineio.ProxyTrust.PRIVATE_NETWORKS);
        try (ChannelsFixture proxied = new ChannelsFixture(options);
             JavaPlainClient first = JavaPlainClient.connect(proxied.wsUrl(), forwardedFor("203.0.113.7"));
             JavaPlainClient other = JavaPlainClient.connect(proxied.wsUrl(), forwardedFor("198.51.100.1, 203.0.113.8"))) {
            Await.until(() -> proxied.channels.connections() == 2, "two clients from two forwarded addresses");
            assertThatThrownBy(() -> JavaPlainClient.connect(proxied.wsUrl(), forwardedFor("203.0.113.7")))
                    .hasStackTraceContaining("429");
            first.close();
            Await.until(() -> proxied.channels.connections() == 1, "the first client's slot freed");
            try (JavaPlainClient again = JavaPlainClient.connect(proxied.wsUrl(), forwardedFor("203.0.113.7"))) {
                again.await(m -> "connected".equals(m.path("type").asText()), WAIT, "connected");
            }
            assertThat(other).isNotNull();
        }
    }

    @Test
    void withoutTrustProxyForwardedHeadersAreIgnored() {
        try (ChannelsFixture direct = new ChannelsFixture(PlainChannelsOptions.defaults().withConnections(10, 1));
             JavaPlainClient first = JavaPlainClient.connect(direct.wsUrl(), forwardedFor("203.0.113.7"))) {
            Await.until(() -> direct.channels.connections() == 1, "one open");
            // same TCP peer (loopback): a client cannot pick another address to get past the limit
            assertThatThrownBy(() -> JavaPlainClient.connect(direct.wsUrl(), forwardedFor("203.0.113.9")))
                    .hasStackTraceContaining("429");
            assertThat(first).isNotNull();
        }
    }

    private static java.util.Map<String, String> forwardedFor(String addresses) {
        return java.util.Map.of("X-Forwarded-For", addresses);
    }

    @Test
    void shutdownClosesPlainClientsWithGoingAway() {
        ChannelsFixture own = new ChannelsFixture();
        try (JavaPlainClient c = JavaPlainClient.connect(own.wsUrl())) {
            c.await(m -> "connected".equals(m.path("type").asText()), WAIT, "connected");
            own.close();
            assertThat(c.awaitClose(WAIT)).isEqualTo(1001);
        } finally {
            own.close();
        }
    }

    static void assertError(JsonNode reply, ChannelError code) {
        assertThat(reply.path("code").asText()).as("error code of %s", reply).isEqualTo(code.name());
        assertThat(reply.path("error").asText()).isNotBlank();
    }
}
