package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TRUSTED_PROXIES: with TRUST_PROXY=true, X-Forwarded-For is believed only from the listed peers. A host on the
 * same private network (here 127.0.0.1, not listed) that sends a fresh forwarded address per connection is still
 * counted as itself, so the per-IP session cap holds; the listed proxy (127.0.0.2) still forwards its clients'.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TrustedProxiesTest {
    private static final String HANDSHAKE = "/socket.io/?EIO=4&transport=polling";

    /** One handshake on a fresh connection from {@code source}; returns the status line. */
    private static String handshake(String source, int port, String forwardedFor) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(source, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            String request = "GET " + HANDSHAKE + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: " + forwardedFor
                    + "\r\nConnection: close\r\n\r\n";
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return answer.substring(0, answer.indexOf("\r\n"));
        }
    }

    @Test
    void forwardedAddressesAreBelievedOnlyFromTheListedProxies() throws Exception {
        try (SwitchboardServer server = TestServers.start(Map.of("TRUST_PROXY", "true", "TRUSTED_PROXIES", "127.0.0.2",
                "MAX_SESSIONS_PER_IP", "2"), List.of())) {
            int port = server.wsPort();
            List<String> unlisted = new ArrayList<>();
            for (int i = 1; i <= 4; i++) { // a fresh forwarded address each time
                unlisted.add(handshake("127.0.0.1", port, "203.0.113." + i));
            }
            assertThat(unlisted).as("127.0.0.1 is not a listed proxy: counted as itself")
                    .containsExactly("HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 429 Too Many Requests",
                            "HTTP/1.1 429 Too Many Requests");

            List<String> listed = new ArrayList<>();
            for (String client : List.of("198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.1",
                    "198.51.100.1")) {
                listed.add(handshake("127.0.0.2", port, client));
            }
            assertThat(listed).as("127.0.0.2 is the listed proxy: counted by the forwarded address")
                    .containsExactly("HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 200 OK",
                            "HTTP/1.1 429 Too Many Requests");
        }
    }

    /**
     * The TCP per-IP cap spares only the listed proxy (it carries everyone's connections): an unlisted neighbour
     * on a private network holding connections open is capped like any client.
     */
    @Test
    void onlyTheListedProxyIsSparedTheTcpPerIpCap() throws Exception {
        try (SwitchboardServer server = TestServers.start(Map.of("TRUST_PROXY", "true", "TRUSTED_PROXIES", "127.0.0.2",
                "MAX_TCP_CONNECTIONS_PER_IP", "2"), List.of())) {
            int port = server.wsPort();
            assertThat(heldConnections("127.0.0.1", port, 3)).as("127.0.0.1, unlisted")
                    .containsExactly("open", "open", "HTTP/1.1 429 Too Many Requests");
            assertThat(heldConnections("127.0.0.2", port, 3)).as("127.0.0.2, the listed proxy")
                    .containsExactly("open", "open", "open");
        }
    }

    /** X-Forwarded-Proto (the console cookie's Secure flag) is believed from the listed proxy only, as the address is. */
    @Test
    void forwardedProtoIsBelievedOnlyFromTheListedProxies() throws Exception {
        try (SwitchboardServer server = TestServers.start(Map.of("TRUST_PROXY", "true", "TRUSTED_PROXIES", "127.0.0.2",
                "AUTH_TOKENS", "operator-token-0123456789"), List.of())) {
            int port = server.wsPort();
            assertThat(loginCookie("127.0.0.1", port)).as("from 127.0.0.1, unlisted").doesNotContain("; Secure");
            assertThat(loginCookie("127.0.0.2", port)).as("from 127.0.0.2, the listed proxy").contains("; Secure");
        }
    }

    /** The console login's Set-Cookie header, the request saying it came over https through a proxy. */
    private static String loginCookie(String source, int port) throws IOException {
        String body = "{\"token\":\"operator-token-0123456789\"}";
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(source, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            String request = "POST /ui/api/login HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nOrigin: http://127.0.0.1:" + port
                    + "\r\nContent-Type: application/json\r\nX-Forwarded-Proto: https\r\nContent-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n" + body;
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).as("login answer").startsWith("HTTP/1.1 200");
            return answer.lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("set-cookie:"))
                    .findFirst().orElse("");
        }
    }

    /**
     * Opens {@code count} connections from {@code source}, all held open; for each, "open" when a request on it is
     * answered 200, else the status line it was refused with. Closes them all before returning.
     */
    private static List<String> heldConnections(String source, int port, int count) throws IOException {
        List<Socket> held = new ArrayList<>();
        List<String> results = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                Socket s = new Socket();
                held.add(s);
                s.bind(new InetSocketAddress(source, 0));
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                s.setSoTimeout(5000);
                s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String status = statusLine(s);
                results.add(status.startsWith("HTTP/1.1 200") ? "open" : status);
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        return results;
    }

    private static String statusLine(Socket s) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = s.getInputStream().read(); b >= 0 && b != '\n'; b = s.getInputStream().read()) {
            line.append((char) b);
        }
        return line.toString().trim();
    }
}
