package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.app.config.ConfigException;
import dev.switchboard.app.config.SwitchboardConfig;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;
import dev.switchboard.testkit.RepoPaths;

/**
 * Node's {@code serveClient} and {@code path}: the browser builds of the socket.io-client version the tests use are
 * served under the Engine.IO path with an ETag, and SOCKETIO_PATH moves the endpoint and the files together.
 */
class ServeClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path CLIENT_DIST = RepoPaths.repoRoot()
            .resolve("test-support/node/node_modules/socket.io-client/dist");

    @Test
    void everyBrowserBuildIsTheTestedClientWithAnETag() throws Exception {
        SwitchboardServer server = TestServers.start(Map.of(), EchoNamespace.of("/chat"));
        try {
            String version = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    CLIENT_DIST.resolveSibling("package.json").toFile()).path("version").asText();
            for (String file : List.of("socket.io.js", "socket.io.min.js", "socket.io.msgpack.min.js",
                    "socket.io.esm.min.js", "socket.io.js.map", "socket.io.min.js.map")) {
                HttpResponse<byte[]> reply = get(server, "/socket.io/" + file, Map.of());
                assertThat(reply.statusCode()).as(file).isEqualTo(200);
                assertThat(reply.body()).as(file).isEqualTo(Files.readAllBytes(CLIENT_DIST.resolve(file)));
                assertThat(reply.headers().firstValue("etag")).as(file).contains('"' + version + '"');
                assertThat(reply.headers().firstValue("cache-control")).contains("public, max-age=0");
                assertThat(reply.headers().firstValue("content-type").orElseThrow())
                        .startsWith(file.endsWith(".map") ? "application/json" : "application/javascript");
            }
            HttpResponse<byte[]> revalidated = get(server, "/socket.io/socket.io.min.js",
                    Map.of("If-None-Match", '"' + version + '"'));
            assertThat(revalidated.statusCode()).isEqualTo(304);
            assertThat(revalidated.body()).isEmpty();
            assertThat(get(server, "/socket.io/socket.io.min.js", Map.of("If-None-Match", "\"0.0.1\"")).statusCode())
                    .isEqualTo(200);
            assertThat(get(server, "/socket.io/other.js", Map.of()).statusCode()).isEqualTo(404);
        } finally {
            server.close();
        }
    }

    @Test
    void serveClientOffAnswers404() throws Exception {
        SwitchboardServer server = TestServers.start(Map.of("SERVE_CLIENT", "false"), EchoNamespace.of("/chat"));
        try {
            assertThat(get(server, "/socket.io/socket.io.js", Map.of()).statusCode()).isEqualTo(404);
        } finally {
            server.close();
        }
    }

    @Test
    void aCustomPathMovesTheEndpointAndTheFiles() throws Exception {
        SwitchboardServer server = TestServers.start(Map.of("SOCKETIO_PATH", "/realtime"), EchoNamespace.of("/chat"));
        try (NodeClientDriver driver = NodeClientDriver.start()) {
            NodeSocket socket = driver.connect(TestServers.url(server), "/chat", ClientOptions.defaults().path("/realtime"));
            socket.awaitConnect(WAIT);
            assertThat(socket.emitWithAck("ping", WAIT, "hi").get(0).asText()).isEqualTo("pong");
            assertThat(get(server, "/realtime/socket.io.js", Map.of()).statusCode()).isEqualTo(200);
            assertThat(get(server, "/socket.io/socket.io.js", Map.of()).statusCode()).isEqualTo(404);
            assertThat(get(server, "/socket.io/?EIO=4&transport=polling", Map.of()).statusCode()).isNotEqualTo(200);
        } finally {
            server.close();
        }
    }

    @Test
    void aBadPathIsRefusedNamingTheVariable() {
        for (String bad : List.of("socket.io", "/a b", "/x?y", "//", "/" + "p".repeat(120))) {
            Map<String, String> env = TestServers.baseEnv();
            env.put("SOCKETIO_PATH", bad);
            assertThatThrownBy(() -> SwitchboardConfig.fromEnvironment(env)).as(bad)
                    .isInstanceOf(ConfigException.class).hasMessageContaining("SOCKETIO_PATH");
        }
    }

    private static HttpResponse<byte[]> get(SwitchboardServer server, String path, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(TestServers.url(server) + path)).timeout(WAIT);
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
