package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.switchboard.namespaces.core.NamespaceContext;
import dev.switchboard.namespaces.core.RunningNamespace;
import dev.switchboard.namespaces.core.SwitchboardNamespace;
import org.junit.jupiter.api.Timeout;

/**
 * The admission settings reach the public port: the Host check on a loopback development server, the per-IP
 * session cap from the handshake, the request-head deadline, and CORS "*" without credentials.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PublicPortAdmissionTest {
    private static final String HANDSHAKE = "/socket.io/?EIO=4&transport=polling";

    /** One request on a fresh connection with exactly these header lines; returns the status line and the rest. */
    private static String exchange(int port, String path, String... headers) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            StringBuilder req = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n");
            for (String h : headers) req.append(h).append("\r\n");
            req.append("Connection: close\r\n\r\n");
            s.getOutputStream().write(req.toString().getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aLoopbackDevelopmentServerAnswersOnlyLoopbackHostNames() throws Exception {
        try (SwitchboardServer server = TestServers.start(Map.of(), List.of())) {
            int port = server.wsPort();
            String rebound = exchange(port, "/health", "Host: rebind.evil.test:" + port);
            assertThat(rebound).startsWith("HTTP/1.1 403").endsWith("{\"code\":403,\"message\":\"Host not allowed\"}");
            assertThat(exchange(port, HANDSHAKE, "Host: rebind.evil.test:" + port)).startsWith("HTTP/1.1 403");
            assertThat(exchange(port, "/health", "Host: localhost:" + port)).startsWith("HTTP/1.1 200");
            assertThat(exchange(port, HANDSHAKE, "Host: 127.0.0.1:" + port)).startsWith("HTTP/1.1 200");
        }
        try (SwitchboardServer named = TestServers.start(Map.of("ALLOWED_HOSTS", "sb.example.com"), List.of())) {
            assertThat(exchange(named.wsPort(), "/health", "Host: sb.example.com")).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void handshakesBeyondMaxSessionsPerIpAreRefusedWithJson() throws Exception {
        try (SwitchboardServer server = TestServers.start(Map.of("MAX_SESSIONS_PER_IP", "3"), List.of())) {
            int port = server.wsPort();
            for (int i = 0; i < 3; i++) {
                assertThat(exchange(port, HANDSHAKE, "Host: 127.0.0.1")).startsWith("HTTP/1.1 200");
            }
            assertThat(exchange(port, HANDSHAKE, "Host: 127.0.0.1")).startsWith("HTTP/1.1 429")
                    .endsWith("{\"code\":429,\"message\":\"Too many sessions from this address\"}");
            String metrics = Http.get(server.apiPort(), "/metrics").body();
            assertThat(metrics).contains("switchboard_refusals_total{reason=\"engine_sessions_per_ip\"} 1.0")
                    .contains("switchboard_engine_sessions 3.0");
        }
    }

    @Test
    void aTrickledRequestHeadIsCutAtRequestHeadTimeout() throws Exception {
        try (SwitchboardServer server = TestServers.start(Map.of("REQUEST_HEAD_TIMEOUT_MS", "500"), List.of());
             Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.wsPort()), 5000);
            s.setSoTimeout(100);
            s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            InputStream in = s.getInputStream();
            boolean closed = false;
            while (!closed && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5)) {
                try {
                    s.getOutputStream().write('X');
                    closed = in.read() < 0;
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // keep trickling
                } catch (IOException reset) {
                    closed = true;
                }
            }
            assertThat(closed).isTrue();
            // cut at 500 ms; the slack is for a loaded machine and stays below the 5 s after which the loop gives up
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(4500);
        }
    }

    /** A namespace that installs nothing: something to connect to. */
    private static final class Probe implements SwitchboardNamespace, RunningNamespace {
        @Override
        public String name() {
            return "/probe";
        }

        @Override
        public RunningNamespace install(NamespaceContext context) {
            return this;
        }

        @Override
        public int activeStreams() {
            return 0;
        }

        @Override
        public void close() {
        }
    }

    /** The Engine.IO sid is a bearer secret: /stats (behind the token, but read by dashboards) never shows it. */
    @Test
    void statsNeverShowASessionId() throws Exception {
        try (SwitchboardServer server = TestServers.start(Map.of(), List.of(new Probe()))) {
            String base = "http://127.0.0.1:" + server.wsPort() + "/socket.io/?EIO=4&transport=polling";
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            String open = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            String sid = new com.fasterxml.jackson.databind.ObjectMapper().readTree(open.substring(1)).get("sid").asText();
            http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "&sid=" + sid))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("40/probe,")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            String connect = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "&sid=" + sid))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(connect).startsWith("40/probe,{\"sid\"");
            Http.Reply stats = Http.get(server.apiPort(), "/stats");
            assertThat(stats.status()).isEqualTo(200);
            assertThat(stats.body()).contains("probe").doesNotContain(sid);
        }
    }

    @Test
    void corsStarAnswersALiteralStarWithoutCredentials() throws Exception {
        try (SwitchboardServer server = TestServers.start(Map.of("CORS_ORIGINS", "*"), List.of())) {
            String answer = exchange(server.wsPort(), HANDSHAKE, "Host: 127.0.0.1", "Origin: http://evil.test");
            assertThat(answer).startsWith("HTTP/1.1 200").containsIgnoringCase("access-control-allow-origin: *\r\n")
                    .doesNotContainIgnoringCase("access-control-allow-credentials");
        }
    }
}
