package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.switchboard.testkit.RepoPaths;

/** The dashboard at /ui/ connects in headless Chromium whichever parser the server speaks (SOCKETIO_PARSER). */
class DashboardParserTest {

    @ParameterizedTest
    @ValueSource(strings = {"default", "msgpack"})
    void theDashboardConnectsWithTheServersParser(String parser) throws Exception {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        Path node = RepoPaths.nodeDir();
        Assumptions.assumeTrue(Files.isExecutable(chromium) && Files.isDirectory(node.resolve("node_modules/playwright-core")),
                "needs scripts/setup-chromium.sh and scripts/setup-node.sh (CI runs both)");
        try (SwitchboardServer server = TestServers.startWithRegistry(Map.of("SOCKETIO_PARSER", parser,
                "NAMESPACES", "/system"))) {
            Path script = Path.of(DashboardParserTest.class.getResource("/ui/dashboard-connects.mjs").toURI());
            Process p = new ProcessBuilder("node", script.toString(), TestServers.url(server))
                    .directory(node.toFile()).redirectErrorStream(true).start();
            boolean done = p.waitFor(60, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
            }
            String output = new String(p.getInputStream().readAllBytes());
            assertThat(done).as("browser run finished").isTrue();
            assertThat(p.exitValue()).as(output).isZero();
            assertThat(output).contains("\"ok\":true");

            Http.Reply client = Http.get(server.wsPort(), "/ui/vendor/socket.io.min.js");
            assertThat(client.status()).isEqualTo(200);
            assertThat(client.body().contains("notepack") || client.body().contains("msgpack"))
                    .as("the msgpack build of the client is served when the server speaks msgpack")
                    .isEqualTo(parser.equals("msgpack"));
        }
    }
}
