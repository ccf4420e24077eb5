package dev.switchboard.emitapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;
import dev.switchboard.testkit.RepoPaths;

/**
 * Issue #15 item 6 with a real browser: a page on another site, opened in headless Chromium by the operator,
 * posts an event to the default API (loopback, no token) as text/plain with fetch and as a text/plain form.
 * Neither reaches a socket.io-client connected to the namespace.
 */
class CrossSiteEmitBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aPageOnAnotherSiteCannotEmit() throws Exception {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        Path node = RepoPaths.nodeDir();
        Assumptions.assumeTrue(Files.isExecutable(chromium)
                        && Files.isDirectory(node.resolve("node_modules/playwright-core")),
                "needs scripts/setup-chromium.sh and scripts/setup-node.sh (CI runs both)");
        SocketIoServer io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build()).build();
        io.of("/csrf");
        io.start();
        ServerView view = new NamespacesView(io::namespaces);
        HttpServer attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        try (SwitchboardMetrics metrics = new SwitchboardMetrics();
             EmitApi api = new EmitApi(new EmitApiOptions("127.0.0.1", 0, null, 65536, 10), view, metrics,
                     new HealthReport(view, metrics, "test")).start();
             NodeClientDriver driver = NodeClientDriver.start()) {
            NodeSocket victim = driver.connect("http://127.0.0.1:" + io.port(), "/csrf");
            victim.awaitConnect(WAIT);
            String apiBase = "http://127.0.0.1:" + api.port();
            byte[] page = attackerPage(apiBase).getBytes(StandardCharsets.UTF_8);
            attacker.createContext("/", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, page.length);
                exchange.getResponseBody().write(page);
                exchange.close();
            });
            attacker.start();
            // localhost and 127.0.0.1 are two sites for the browser: this page is cross-site to the API
            String pageUrl = "http://localhost:" + attacker.getAddress().getPort() + "/";

            JsonNode outcome = runBrowser(node, pageUrl, apiBase);

            assertThat(outcome.path("ok").asBoolean()).as(outcome.toString()).isTrue();
            assertThat(outcome.path("responses")).as(outcome.toString()).hasSize(2);
            for (JsonNode response : outcome.path("responses")) {
                assertThat(response.path("status").asInt()).as(outcome.toString()).isEqualTo(403);
            }
            // events reach one socket in order: once this later one is there, a forged one would be there too
            ApiClient.Reply fence = new ApiClient(api.port(), null).post("/emit",
                    "{\"namespace\":\"/csrf\",\"event\":\"fence\"}");
            assertThat(fence.status()).as(fence.body()).isEqualTo(200);
            victim.awaitEvent("fence", WAIT);
            assertThat(victim.events("forged")).as("events posted by the page").isEmpty();
            assertThat(metrics.refusalCount("api_cross_site")).isEqualTo(2);
        } finally {
            attacker.stop(0);
            io.close(Duration.ofSeconds(1));
        }
    }

    private static String attackerPage(String apiBase) {
        return """
                <!doctype html><html><body>
                <form id="form" method="POST" action="%1$s/emit" enctype="text/plain">
                <input name='{"namespace":"/csrf","event":"forged","data":{"via":"form","pad":"' value='"}}'>
                </form>
                <script>
                window.fetchDone = fetch("%1$s/emit", {method: "POST", mode: "no-cors",
                    headers: {"Content-Type": "text/plain"},
                    body: JSON.stringify({namespace: "/csrf", event: "forged", data: {via: "fetch"}})})
                  .then((r) => r.type, (e) => "error: " + e);
                </script>
                </body></html>
                """.formatted(apiBase);
    }

    private static JsonNode runBrowser(Path node, String pageUrl, String apiBase) throws Exception {
        Path script = Path.of(CrossSiteEmitBrowserTest.class.getResource("/csrf/cross-site-emit.mjs").toURI());
        Process process = new ProcessBuilder("node", script.toString(), pageUrl, apiBase)
                .directory(node.toFile()).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("browser did not finish within 60 s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            String last = output.substring(output.lastIndexOf('\n') + 1);
            try {
                return Json.MAPPER.readTree(last);
            } catch (IOException e) {
                throw new AssertionError("browser output: " + output, e);
            }
        } finally {
            process.destroyForcibly();
        }
    }
}
