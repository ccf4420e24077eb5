package dev.switchboard.namespaces.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.switchboard.namespaces.core.NamespaceTestServer;
import dev.switchboard.testkit.RepoPaths;

/**
 * Issue #16 item 3 with a real python-socketio client (Debian python3-socketio, scripts/setup-python.sh): a handler
 * {@code def on_status(data)} gets the event the backend posted to a /mcp room that keeps history. Before the fix
 * every such event carried an extra history id, the handler raised TypeError and the event was lost.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class McpPythonClientTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3"); // Debian's, where python3-socketio lives
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void oneArgumentHandlerReceivesThePostedEvent() throws Exception {
        assertThat(Files.isExecutable(PYTHON)).as("run scripts/setup-python.sh first").isTrue();
        Path script = RepoPaths.repoRoot().resolve("namespaces/src/test/resources/python/mcp_status_client.py");
        try (NamespaceTestServer server = NamespaceTestServer.start(McpNamespace.DEFINITION.with(McpSettings.defaults()))) {
            Process python = new ProcessBuilder(PYTHON.toString(), script.toString(), server.url(), "exec-py")
                    .redirectErrorStream(true).start();
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            List<String> transcript = new ArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "python-client-output");
            reader.setDaemon(true);
            reader.start();
            try {
                assertThat(awaitLine(lines, transcript, "JOINED")).as(String.join("\n", transcript)).isNotNull();
                Map<String, Object> status = new java.util.LinkedHashMap<>(); // Map.of's order changes from run to run
                status.put("phase", "running");
                status.put("pct", 40);
                server.namespace().to("exec-py").emit("status", status);
                String got = awaitLine(lines, transcript, "GOT");
                assertThat(got).as("python output:\n" + String.join("\n", transcript)).isNotNull();
                assertThat(got).isEqualTo("GOT {\"phase\": \"running\", \"pct\": 40}");
                assertThat(python.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                reader.join(WAIT.toMillis());
                lines.drainTo(transcript);
                assertThat(python.exitValue()).as(String.join("\n", transcript)).isZero();
                assertThat(String.join("\n", transcript)).doesNotContain("TypeError");
            } finally {
                python.destroyForcibly();
            }
        }
    }

    /** The first line starting with {@code prefix} (or MISSING, the script's verdict), null at the deadline. */
    private static String awaitLine(BlockingQueue<String> lines, List<String> transcript, String prefix)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                return null;
            }
            transcript.add(line);
            if (line.startsWith(prefix)) {
                return line;
            }
            if (line.startsWith("MISSING")) {
                return null;
            }
        }
        return null;
    }
}
