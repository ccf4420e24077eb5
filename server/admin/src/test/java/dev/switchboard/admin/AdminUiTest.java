package dev.switchboard.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mindrot.jbcrypt.BCrypt;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/** The /admin namespace with the real socket.io-client, as the official Admin UI uses it, and the UI's files. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AdminUiTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static SocketIoServer server(AdminUiOptions options) {
        SocketIoServer io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build()).build();
        io.of("/").onConnection(s -> s.on("join", ev -> {
            s.join(ev.arg(0).asText());
            ev.ack(true);
        }));
        AdminUi.install(io, options);
        return io.start();
    }

    @Test
    void adminNamespaceListsSocketsStreamsUpdatesAndRunsCommands() {
        // Node's bcrypt writes $2b$: accepted as well
        String hash = "$2b$" + BCrypt.hashpw("s3cret", BCrypt.gensalt(4)).substring(4);
        // one address plays the intruder and then the admin here: no backoff between (see the test below)
        try (SocketIoServer io = server(AdminUiOptions.builder().basicAuth("admin", hash).serverId("node-1")
                .loginThrottle(Duration.ZERO, Duration.ZERO, 2).build());
             NodeClientDriver driver = NodeClientDriver.start()) {
            String url = "http://127.0.0.1:" + io.port();
            ClientOptions plain = ClientOptions.defaults().reconnection(false);
            // a client that is not behind a trusted proxy names another address: the UI shows the one it came from
            NodeSocket user = driver.connect(url, "/", ClientOptions.defaults().reconnection(false)
                    .extraHeaders(Map.of("X-Forwarded-For", "203.0.113.9", "CF-Connecting-IP", "198.51.100.7")));
            String userId = user.awaitConnect(WAIT).path("sid").asText();
            user.emitWithAck("join", WAIT, "lobby");

            NodeSocket intruder = driver.connect(url, "/admin",
                    ClientOptions.defaults().reconnection(false).auth(Map.of("username", "admin", "password", "nope")));
            assertThat(intruder.awaitConnectError(WAIT).path("message").asText()).isEqualTo("invalid credentials");

            NodeSocket admin = driver.connect(url, "/admin",
                    ClientOptions.defaults().reconnection(false).auth(Map.of("username", "admin", "password", "s3cret")));
            admin.awaitConnect(WAIT);
            String sessionId = admin.awaitEvent("session", WAIT).get(0).asText();
            assertThat(sessionId).hasSize(32);
            assertThat(admin.awaitEvent("config", WAIT).get(0).path("supportedFeatures").toString())
                    .contains("EMIT", "JOIN", "LEAVE", "DISCONNECT");
            JsonNode all = admin.awaitEvent("all_sockets", WAIT).get(0);
            JsonNode listed = null;
            for (JsonNode s : all) {
                if (s.path("id").asText().equals(userId)) {
                    listed = s;
                }
            }
            assertThat(listed).as("all_sockets lists the user socket: %s", all).isNotNull();
            assertThat(listed.path("nsp").asText()).isEqualTo("/");
            assertThat(listed.path("rooms").toString()).contains("lobby", userId);
            assertThat(listed.path("transport").asText()).isIn("polling", "websocket");
            assertThat(listed.path("handshake").path("address").asText()).isEqualTo("127.0.0.1");
            assertThat(listed.path("handshake").path("headers").path("x-forwarded-for").asText())
                    .as("the header itself is still shown as sent").isEqualTo("203.0.113.9");
            assertThat(listed.path("handshake").path("headers").has("cookie")).isFalse();
            JsonNode stats = admin.awaitEvent("server_stats", WAIT).get(0);
            assertThat(stats.path("serverId").asText()).isEqualTo("node-1");
            assertThat(stats.path("clientsCount").asInt()).isEqualTo(2);

            // live updates
            NodeSocket second = driver.connect(url, "/", plain);
            String secondId = second.awaitConnect(WAIT).path("sid").asText();
            assertThat(admin.awaitEvent("socket_connected", a -> a.get(0).path("id").asText().equals(secondId), WAIT)
                    .get(0).path("nsp").asText()).isEqualTo("/");
            second.emitWithAck("join", WAIT, "games");
            admin.awaitEvent("room_joined", a -> a.toString().equals("[\"/\",\"games\",\"" + secondId + "\"]"), WAIT);

            // commands: make the lobby join "vip", emit to vip, disconnect vip
            admin.emit("join", "/", "vip", "lobby");
            admin.awaitEvent("room_joined", a -> a.toString().equals("[\"/\",\"vip\",\"" + userId + "\"]"), WAIT);
            admin.emit("emit", "/", "vip", "hello", 1, Map.of("a", true));
            assertThat(user.awaitEvent("hello", WAIT).toString()).isEqualTo("[1,{\"a\":true}]");
            admin.emit("leave", "/", "games", null);
            admin.awaitEvent("room_left", a -> a.toString().equals("[\"/\",\"games\",\"" + secondId + "\"]"), WAIT);
            admin.emit("_disconnect", "/", false, "vip");
            assertThat(user.awaitDisconnect(WAIT)).isEqualTo("io server disconnect");
            admin.awaitEvent("socket_disconnected",
                    a -> a.toString().equals("[\"/\",\"" + userId + "\",\"server namespace disconnect\"]"), WAIT);

            // bad commands are ignored: no namespace gets declared, reserved names are not emitted
            admin.emit("emit", "/nope", null, "x");
            admin.emit("emit", "/", null, "connect");
            admin.emit("join", 42, "room");
            admin.emit("_disconnect");
            second.emitWithAck("join", WAIT, "still-alive");
            assertThat(io.namespaces()).extracting(Namespace::name).doesNotContain("/nope");
            assertThat(second.state().path("connected").asBoolean()).isTrue();

            // the UI reconnects with its session id instead of the password
            NodeSocket resumed = driver.connect(url, "/admin",
                    ClientOptions.defaults().reconnection(false).auth(Map.of("sessionId", sessionId)));
            resumed.awaitConnect(WAIT);
            resumed.awaitEvent("all_sockets", WAIT);
        }
    }

    /**
     * Password guessing: a burst of wrong logins from one address runs one bcrypt check, the rest (and even the
     * right password) are refused at once while the address backs off; after the wait the right password works.
     */
    @Test
    void failedLoginsBackOffWithoutCheckingThePassword() {
        String hash = BCrypt.hashpw("s3cret", BCrypt.gensalt(10));
        SocketIoServer io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build()).build();
        AdminUi ui = AdminUi.install(io, AdminUiOptions.builder().basicAuth("admin", hash).uiPath(null)
                .loginThrottle(Duration.ofSeconds(2), Duration.ofSeconds(10), 2).build());
        try (SocketIoServer started = io.start(); AdminUi closing = ui; NodeClientDriver driver = NodeClientDriver.start()) {
            String url = "http://127.0.0.1:" + started.port();
            java.util.List<NodeSocket> burst = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                burst.add(login(driver, url, "guess" + i));
            }
            java.util.List<String> messages = new java.util.ArrayList<>();
            for (NodeSocket guess : burst) {
                JsonNode error = guess.awaitConnectError(WAIT);
                messages.add(error.path("message").asText());
                if (!error.path("message").asText().equals("invalid credentials")) {
                    assertThat(error.path("data").path("code").asText()).isEqualTo("RATE_LIMITED");
                }
            }
            assertThat(messages).filteredOn("invalid credentials"::equals).hasSize(1);
            assertThat(messages).filteredOn(m -> m.startsWith("too many failed logins: retry in")).hasSize(9);
            assertThat(ui.passwordChecks()).isEqualTo(1);

            JsonNode waiting = login(driver, url, "s3cret").awaitConnectError(WAIT);
            assertThat(waiting.path("data").path("code").asText()).as("even the right password waits").isEqualTo("RATE_LIMITED");
            long retryAt = System.nanoTime() + waiting.path("data").path("retryAfterMs").asLong() * 1_000_000;
            assertThat(ui.passwordChecks()).isEqualTo(1);

            Await.until(() -> System.nanoTime() > retryAt, WAIT, "the announced wait is over");
            NodeSocket admin = login(driver, url, "s3cret");
            admin.awaitConnect(WAIT);
            admin.awaitEvent("session", WAIT);
            assertThat(login(driver, url, "nope").awaitConnectError(WAIT).path("message").asText())
                    .as("a success clears the address").isEqualTo("invalid credentials");
            assertThat(ui.passwordChecks()).isEqualTo(3);
        }
    }

    private static NodeSocket login(NodeClientDriver driver, String url, String password) {
        return driver.connect(url, "/admin", ClientOptions.defaults().reconnection(false)
                .auth(Map.of("username", "admin", "password", password)));
    }

    @Test
    void readonlyAdminObservesButCannotCommand() {
        try (SocketIoServer io = server(AdminUiOptions.builder().noAuth().readonly(true).uiPath(null).build());
             NodeClientDriver driver = NodeClientDriver.start()) {
            String url = "http://127.0.0.1:" + io.port();
            NodeSocket user = driver.connect(url, "/", ClientOptions.defaults().reconnection(false));
            String userId = user.awaitConnect(WAIT).path("sid").asText();
            NodeSocket admin = driver.connect(url, "/admin", ClientOptions.defaults().reconnection(false));
            admin.awaitConnect(WAIT);
            assertThat(admin.awaitEvent("config", WAIT).get(0).path("supportedFeatures").size()).isZero();
            assertThat(admin.awaitEvent("all_sockets", WAIT).get(0).toString()).contains(userId);
            admin.emit("_disconnect", "/", true, null);
            admin.emit("emit", "/", null, "hello");
            user.emitWithAck("join", WAIT, "x"); // a round trip after the commands: nothing happened
            assertThat(user.events("hello")).isEmpty();
            assertThat(user.state().path("connected").asBoolean()).isTrue();
        }
    }

    @Test
    void optionsRequireAnExplicitAuthChoiceAndAValidHash() {
        assertThatThrownBy(() -> AdminUiOptions.builder().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> AdminUiOptions.builder().basicAuth("admin", "plaintext"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bcrypt");
        assertThatThrownBy(() -> AdminUiOptions.builder().uiPath("admin")).isInstanceOf(IllegalArgumentException.class);
        try (SocketIoServer started = server(AdminUiOptions.builder().noAuth().uiPath(null).build())) {
            assertThatThrownBy(() -> AdminUi.install(started, AdminUiOptions.builder().noAuth().build()))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void servesTheBuiltUiFilesAndNothingElse() throws Exception {
        try (SocketIoServer io = server(AdminUiOptions.builder().noAuth().build())) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + io.port();
            HttpResponse<String> index = http.send(HttpRequest.newBuilder(URI.create(base + "/admin-ui/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(index.headers().firstValue("content-type").orElse("")).startsWith("text/html");
            assertThat(index.body()).contains("Socket.IO Admin UI");
            String script = index.body().replaceAll("(?s).*<script src=\"(js/app\\.[0-9a-f]+\\.js)\".*", "$1");
            HttpResponse<String> js = http.send(HttpRequest.newBuilder(URI.create(base + "/admin-ui/" + script)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(js.statusCode()).isEqualTo(200);
            assertThat(js.headers().firstValue("content-type").orElse("")).startsWith("application/javascript");
            for (String bad : new String[] {"/admin-ui/../pom.xml", "/admin-ui/%2e%2e/LICENSE", "/admin-ui/LICENSE",
                    "/admin-ui/README.md", "/admin-ui/js/missing.js", "/admin-ui/.hidden.js"}) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + bad)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(bad).isEqualTo(404);
            }
        }
    }

    @Test
    void theUiPageShowsTheConnectedSocketsInHeadlessChromium() throws Exception {
        java.nio.file.Path chromium = java.nio.file.Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        java.nio.file.Path node = dev.switchboard.testkit.RepoPaths.nodeDir();
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(chromium)
                && java.nio.file.Files.isDirectory(node.resolve("node_modules/playwright-core")),
                "needs scripts/setup-chromium.sh and scripts/setup-node.sh (CI runs both)");
        try (SocketIoServer io = server(AdminUiOptions.builder().noAuth().build());
             NodeClientDriver driver = NodeClientDriver.start()) {
            String url = "http://127.0.0.1:" + io.port();
            NodeSocket a = driver.connect(url, "/", ClientOptions.defaults().reconnection(false));
            NodeSocket b = driver.connect(url, "/", ClientOptions.defaults().reconnection(false));
            String idA = a.awaitConnect(WAIT).path("sid").asText();
            String idB = b.awaitConnect(WAIT).path("sid").asText();
            java.nio.file.Path script = java.nio.file.Path.of(AdminUiTest.class.getResource("/admin/admin-ui-browser.mjs").toURI());
            Process p = new ProcessBuilder("node", script.toString(), url, idA, idB)
                    .directory(node.toFile()).redirectErrorStream(true).start();
            boolean done = p.waitFor(60, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
            }
            String output = new String(p.getInputStream().readAllBytes());
            assertThat(done).as("browser run finished").isTrue();
            assertThat(p.exitValue()).as(output).isZero();
            assertThat(output).contains("\"ok\":true").contains(idA).contains(idB);
            Await.until(() -> io.of("/admin").socketCount() == 0, WAIT, "the page's admin socket closed with it");
        }
    }
}
