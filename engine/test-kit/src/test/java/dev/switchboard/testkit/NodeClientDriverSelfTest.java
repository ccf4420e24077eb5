package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the test kit against a real Node socket.io 4.8 server (test-support/node/echo-server.mjs), so it is
 * known good before the Java engine exists.
 */
class NodeClientDriverSelfTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static NodeProcess server;
    private static NodeClientDriver driver;
    private static String url;

    @BeforeAll
    static void startServerAndDriver() {
        server = NodeProcess.start("echo-server.mjs", "0");
        int port = server.awaitJsonLine(n -> "listening".equals(n.path("type").asText()), WAIT, "echo server listening")
                .path("port").asInt();
        url = "http://127.0.0.1:" + port;
        driver = NodeClientDriver.start();
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void loadsTheRealClientPackages() {
        assertThat(driver.clientVersions().path("v4").asText()).startsWith("4.8.");
        assertThat(driver.clientVersions().path("v2").asText()).isEqualTo("2.5.0");
    }

    @Test
    void connectsReceivesEventsAndGetsAcks() {
        NodeSocket socket = driver.connect(url, "/");
        JsonNode connect = socket.awaitConnect(WAIT);
        assertThat(connect.path("sid").asText()).isNotEmpty();
        assertThat(socket.awaitEvent("welcome", WAIT).get(0).path("sid").asText()).isEqualTo(connect.path("sid").asText());

        ArrayNode ack = socket.emitWithAck("echo", WAIT, "text", 42, Map.of("nested", List.of(true, "x")));
        assertThat(ack.get(0).asText()).isEqualTo("text");
        assertThat(ack.get(1).asInt()).isEqualTo(42);
        assertThat(ack.get(2).path("nested").get(1).asText()).isEqualTo("x");

        socket.emit("echo", "without ack");
        assertThat(socket.awaitEvent("echo", args -> args.get(0).asText().equals("without ack"), WAIT)).hasSize(1);
        assertThat(socket.state().path("connected").asBoolean()).isTrue();
        socket.disconnect();
        assertThat(socket.awaitDisconnect(WAIT)).isEqualTo("io client disconnect");
    }

    @Test
    void binaryGoesBothWaysOverPollingAndWebSocket() {
        byte[] payload = new byte[70_000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        for (String transport : List.of("polling", "websocket")) {
            NodeSocket socket = driver.connect(url, "/", ClientOptions.defaults().transports(transport));
            assertThat(socket.awaitConnect(WAIT).path("transport").asText()).isEqualTo(transport);
            byte[] reversed = DriverJson.bytes(socket.emitWithAck("binary", WAIT, (Object) payload).get(0));
            assertThat(reversed).hasSize(payload.length);
            for (int i = 0; i < payload.length; i++) {
                assertThat(reversed[i]).as("byte %d over %s", i, transport).isEqualTo(payload[payload.length - 1 - i]);
            }
            JsonNode mixed = socket.emitWithAck("echo", WAIT, Map.of("blob", new byte[] {1, 2, 3}, "n", 1));
            assertThat(DriverJson.bytes(mixed.get(0).get("blob"))).containsExactly(1, 2, 3);
            socket.disconnect();
        }
    }

    @Test
    void upgradesFromPollingToWebSocketByDefault() {
        NodeSocket socket = driver.connect(url, "/");
        socket.awaitConnect(WAIT);
        // an upgrade event means the engine started on long-polling (the client's default path)
        assertThat(socket.awaitLifecycle("upgrade", 1, WAIT).path("transport").asText()).isEqualTo("websocket");
        assertThat(socket.state().path("transport").asText()).isEqualTo("websocket");
        socket.disconnect();
    }

    @Test
    void broadcastReachesEverySocketOfTheNamespace() {
        NodeSocket a = driver.connect(url, "/");
        NodeSocket b = driver.connect(url, "/");
        a.awaitConnect(WAIT);
        b.awaitConnect(WAIT);
        a.emit("broadcast", "hello all");
        assertThat(a.awaitEvent("broadcast", args -> args.get(0).asText().equals("hello all"), WAIT)).isNotNull();
        assertThat(b.awaitEvent("broadcast", args -> args.get(0).asText().equals("hello all"), WAIT)).isNotNull();
        a.disconnect();
        b.disconnect();
    }

    @Test
    void refusedAuthReportsConnectErrorWithData() {
        NodeSocket refused = driver.connect(url, "/secure", ClientOptions.defaults().auth(Map.of("token", "wrong")));
        JsonNode error = refused.awaitConnectError(WAIT);
        assertThat(error.path("message").asText()).isEqualTo("not authorized");
        assertThat(error.path("data").path("code").asInt()).isEqualTo(401);
        assertThat(refused.lifecycle("connect")).isEmpty();

        NodeSocket accepted = driver.connect(url, "/secure", ClientOptions.defaults().auth(Map.of("token", "letmein")));
        accepted.awaitConnect(WAIT);
        accepted.emit("broadcast", "members only");
        accepted.awaitEvent("broadcast", WAIT);
        refused.assertNoEvent("broadcast", Duration.ofMillis(300));
        accepted.disconnect();
    }

    @Test
    void answersServerAckRequests() {
        NodeSocket socket = driver.connect(url, "/");
        socket.awaitConnect(WAIT);
        socket.emit("ask", "what?");
        ServerEvent question = socket.awaitServerEvent("question", args -> true, 1, WAIT);
        assertThat(question.wantsAck()).isTrue();
        assertThat(question.arg(0).asText()).isEqualTo("what?");
        question.ack("forty-two");
        assertThat(socket.awaitEvent("asked", WAIT).get(0).asText()).isEqualTo("forty-two");
        socket.disconnect();
    }

    @Test
    void closeTransportMakesTheClientReconnect() {
        NodeSocket socket = driver.connect(url, "/", ClientOptions.defaults().transports("websocket")
                .reconnectionDelay(Duration.ofMillis(100)));
        String firstSid = socket.awaitConnect(WAIT).path("sid").asText();
        assertThat(socket.closeTransport()).isEqualTo("destroyed websocket");
        assertThat(socket.awaitDisconnect(WAIT)).isEqualTo("transport close");
        JsonNode second = socket.awaitLifecycle("connect", 2, WAIT);
        assertThat(second.path("sid").asText()).isNotEqualTo(firstSid);
        socket.disconnect();
    }

    @Test
    void serverDisconnectIsReported() {
        NodeSocket socket = driver.connect(url, "/");
        socket.awaitConnect(WAIT);
        socket.emit("kick");
        assertThat(socket.awaitDisconnect(WAIT)).isEqualTo("io server disconnect");
    }

    @Test
    void socketIoClientV2AndV3Work() {
        for (String version : List.of("v2", "v3")) {
            NodeSocket socket = driver.connect(url, "/", ClientOptions.defaults().version(version));
            socket.awaitConnect(WAIT);
            assertThat(socket.awaitEvent("welcome", WAIT).get(0).path("nsp").asText()).isEqualTo("/");
            assertThat(socket.emitWithAck("echo", WAIT, version).get(0).asText()).isEqualTo(version);
            byte[] back = DriverJson.bytes(socket.emitWithAck("binary", WAIT, (Object) new byte[] {9, 8}).get(0));
            assertThat(back).containsExactly(8, 9);
            socket.disconnect();
        }
    }

    @Test
    void ackTimeoutIsAClearError() {
        NodeSocket socket = driver.connect(url, "/");
        socket.awaitConnect(WAIT);
        assertThatThrownBy(() -> socket.emitWithAck("broadcast", Duration.ofMillis(300), "no ack for this"))
                .isInstanceOf(DriverException.class).hasMessageContaining("ack timeout");
        socket.disconnect();
    }

    @Test
    void connectErrorWhenNothingListens() {
        int closedPort = FreePort.find();
        NodeSocket socket = driver.connect("http://127.0.0.1:" + closedPort, "/", ClientOptions.defaults().reconnection(false));
        assertThat(socket.awaitConnectError(WAIT).path("message").asText()).isNotEmpty();
    }

    @Test
    void badCommandsGetErrorRepliesAndTheDriverKeepsWorking() {
        assertThatThrownBy(() -> driver.request(driver.command("no-such-op"), WAIT))
                .isInstanceOf(DriverException.class).hasMessageContaining("unknown op 'no-such-op'");
        assertThatThrownBy(() -> driver.request(driver.command("emit").put("id", "nobody").put("event", "x"), WAIT))
                .isInstanceOf(DriverException.class).hasMessageContaining("no socket with id 'nobody'");
        assertThatThrownBy(() -> driver.request(driver.command("connect").put("id", "x"), WAIT))
                .isInstanceOf(DriverException.class).hasMessageContaining("missing field 'url'");
        assertThatThrownBy(() -> driver.request(driver.command("connect").put("id", "y").put("url", url)
                .put("namespace", "no-slash"), WAIT))
                .isInstanceOf(DriverException.class).hasMessageContaining("namespace must start with '/'");
        driver.sendRaw("this is not json");
        driver.sendRaw("[1,2]");
        assertThat(driver.request(driver.command("ping"), WAIT).path("ok").asBoolean()).isTrue();
        assertThat(driver.isAlive()).isTrue();
    }

    @Test
    void failsFastWithSetupHintWhenPackagesAreMissing(@TempDir Path emptyNodeDir) throws IOException {
        Files.copy(RepoPaths.nodeDir().resolve("sio-driver.mjs"), emptyNodeDir.resolve("sio-driver.mjs"));
        assertThatThrownBy(() -> NodeClientDriver.start(emptyNodeDir))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("run scripts/setup-node.sh");
    }

    @Test
    void freePortIsBindableOnLoopback() throws IOException {
        int port = FreePort.find();
        assertThat(port).isBetween(1, 65535);
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void awaitReturnsOnConditionAndFailsWithWhatAfterDeadline() {
        AtomicBoolean flag = new AtomicBoolean(true);
        Await.until(flag::get, Duration.ofMillis(100), "flag set");
        assertThatThrownBy(() -> Await.until(() -> false, Duration.ofMillis(50), "the impossible"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("the impossible");
    }

    @Test
    void repoPathsFindTheTestSupportFolder() {
        assertThat(RepoPaths.nodeDir().resolve("package.json")).isRegularFile();
        assertThat(RepoPaths.repoRoot().resolve("pom.xml")).isRegularFile();
    }
}
