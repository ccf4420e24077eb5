package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.socket.client.Ack;
import io.socket.client.IO;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Java client io.socket:socket.io-client 2.1.1 (protocol v5) against a real SocketIoServer. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JavaClientIntegrationTest {
    private static DemoServer server;

    @BeforeAll
    static void start() {
        server = new DemoServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static io.socket.client.Socket socket(String namespace, String mode, Map<String, String> auth) {
        IO.Options options = new IO.Options();
        options.forceNew = true;
        options.reconnection = false;
        if (!"default".equals(mode)) {
            options.transports = new String[] {mode};
        }
        options.auth = auth;
        return IO.socket(URI.create(server.url() + namespace), options);
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling", "default"})
    void eventsAndAcksBothWays(String mode) throws Exception {
        io.socket.client.Socket client = socket("/", mode, null);
        CompletableFuture<Object> welcome = new CompletableFuture<>();
        CompletableFuture<Object> asked = new CompletableFuture<>();
        client.on("welcome", args -> welcome.complete(args[0]));
        client.on("asked", args -> asked.complete(args[0]));
        client.on("question", args -> ((Ack) args[args.length - 1]).call("java says " + args[0]));
        client.connect();
        try {
            assertThat(await(welcome)).isEqualTo(client.id());
            CompletableFuture<Object[]> echo = new CompletableFuture<>();
            client.emit("echo", "hello", 7, (Ack) echo::complete);
            Object[] echoed = await(echo);
            assertThat(echoed[0]).isEqualTo("hello");
            assertThat(echoed[1]).isEqualTo(7);
            client.emit("ask", "q");
            assertThat(await(asked)).isEqualTo("[\"java says q\"]");
        } finally {
            client.close();
        }
    }

    /**
     * Over polling the Java client base64-encodes uploads with a trailing newline ("bChQe\n"); Node's server
     * accepts that, so the engine must too.
     */
    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling", "default"})
    void binaryBothWays(String mode) throws Exception {
        io.socket.client.Socket client = socket("/", mode, null);
        CompletableFuture<Object> welcome = new CompletableFuture<>();
        CompletableFuture<Object> binaryBack = new CompletableFuture<>();
        client.on("welcome", args -> welcome.complete(args[0]));
        client.on("binary-back", args -> binaryBack.complete(args[0]));
        client.connect();
        try {
            await(welcome);
            CompletableFuture<Object[]> binaryAck = new CompletableFuture<>();
            client.emit("binary", new byte[] {10, 20, 30}, (Ack) binaryAck::complete);
            assertThat((byte[]) await(binaryAck)[0]).containsExactly(30, 20, 10);
            JSONObject back = (JSONObject) await(binaryBack);
            assertThat((byte[]) back.get("bytes")).containsExactly(30, 20, 10);
        } finally {
            client.close();
        }
    }

    @Test
    void authRefusedAndAccepted() throws Exception {
        io.socket.client.Socket refused = socket("/secure", "websocket", Map.of("token", "nope"));
        CompletableFuture<Object> error = new CompletableFuture<>();
        refused.on(io.socket.client.Socket.EVENT_CONNECT_ERROR, args -> error.complete(args[0]));
        refused.connect();
        JSONObject err = (JSONObject) await(error);
        assertThat(err.getString("message")).isEqualTo("unauthorized");
        assertThat(err.getJSONObject("data").getString("reason")).isEqualTo("bad token");
        refused.close();

        io.socket.client.Socket accepted = socket("/secure", "polling", Map.of("token", "letmein"));
        CompletableFuture<Object> connected = new CompletableFuture<>();
        accepted.on(io.socket.client.Socket.EVENT_CONNECT, args -> connected.complete("yes"));
        accepted.connect();
        assertThat(await(connected)).isEqualTo("yes");
        CompletableFuture<Object[]> echo = new CompletableFuture<>();
        accepted.emit("echo", "secure", (Ack) echo::complete);
        assertThat(await(echo)[0]).isEqualTo("secure");
        accepted.close();
    }

    @Test
    void unknownNamespace() throws Exception {
        io.socket.client.Socket client = socket("/missing", "websocket", null);
        CompletableFuture<Object> error = new CompletableFuture<>();
        client.on(io.socket.client.Socket.EVENT_CONNECT_ERROR, args -> error.complete(args[0]));
        client.connect();
        assertThat(((JSONObject) await(error)).getString("message")).isEqualTo("Invalid namespace");
        client.close();
    }
}
