package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.app.config.SwitchboardConfig;
import dev.switchboard.testkit.Cleanup;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/**
 * Issue #16 item 1: backends configured with the Socket.IO URL ({@code WS_SERVER_URL=http://localhost:3007}) post
 * to {@code ${WS_SERVER_URL}/emit}. On the public port a direct loopback peer, or anyone presenting EMIT_TOKEN,
 * gets the API port's answers and errors byte for byte; everyone else the 404 they always got.
 */
class PublicPortEmitTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String NOT_FOUND = "{\"code\":404,\"message\":\"Not found\"}";
    private static final String EMIT = "{\"namespace\":\"/chat\",\"event\":\"hello\",\"data\":{\"n\":1}}";

    /** As shipped for a workstation: no EMIT_TOKEN. */
    private static SwitchboardServer open;
    /** With EMIT_TOKEN. */
    private static SwitchboardServer tokened;
    private static NodeClientDriver driver;
    private static NodeSocket listener;

    @BeforeAll
    static void start() {
        Map<String, String> env = TestServers.baseEnv();
        env.remove("EMIT_TOKEN");
        open = SwitchboardServer.start(SwitchboardConfig.fromEnvironment(env), EchoNamespace.of("/chat"));
        tokened = TestServers.start(Map.of(), EchoNamespace.of("/chat"));
        driver = NodeClientDriver.start();
        listener = driver.connect(TestServers.url(open), "/chat");
        listener.awaitConnect(WAIT);
        listener.awaitEvent("connected", WAIT);
    }

    @AfterAll
    static void stop() {
        Cleanup.closeAll(driver, open, tokened);
    }

    @Test
    void aLocalBackendEmitsThroughTheSocketIoPort() throws IOException {
        Answer single = post(open.wsPort(), "/emit", "localhost:" + open.wsPort(), json(), EMIT);
        assertThat(single.status()).as(single.body()).isEqualTo(200);
        assertThat(single.body()).isEqualTo("{\"success\":true,\"delivered\":1}");
        assertThat(listener.awaitEvent("hello", WAIT).get(0).path("n").asInt()).isEqualTo(1);

        Answer batch = post(open.wsPort(), "/emit/batch", "127.0.0.1:" + open.wsPort(), json(),
                "[{\"namespace\":\"/chat\",\"event\":\"b1\"},{\"namespace\":\"/nope\",\"event\":\"b2\"}]");
        assertThat(batch.status()).as(batch.body()).isEqualTo(200);
        assertThat(batch.body()).startsWith("{\"success\":false,\"delivered\":1,\"failed\":1,");
        listener.awaitEvent("b1", WAIT);
    }

    @Test
    void answersAndErrorsAreTheApiPortsByteForByte() throws IOException {
        List<String[]> cases = List.of(
                new String[] {"/emit", json(), EMIT},
                new String[] {"/emit", json(), "{\"namespace\":\"/nope\",\"event\":\"x\"}"},
                new String[] {"/emit", json(), "{\"namespace\":\"/chat\"}"},
                new String[] {"/emit", json(), "{\"namespace\":\"/chat\",\"event\":\"x\",\"rom\":\"a\"}"},
                new String[] {"/emit", json(), "{nope"},
                new String[] {"/emit", "Content-Type: text/plain\r\n", EMIT},
                new String[] {"/emit", "", EMIT},
                new String[] {"/emit", json() + "Origin: http://attacker.example\r\n", EMIT},
                new String[] {"/emit", json() + "Sec-Fetch-Site: cross-site\r\n", EMIT},
                new String[] {"/emit/batch", json(), "[]"},
                new String[] {"/emit/batch", json(), "{}"},
                new String[] {"/emit/", json(), EMIT});
        for (String[] c : cases) {
            Answer api = post(open.apiPort(), c[0], "127.0.0.1:" + open.apiPort(), c[1], c[2]);
            Answer pub = post(open.wsPort(), c[0], "127.0.0.1:" + open.wsPort(), c[1], c[2]);
            assertThat(pub.status()).as("%s %s %s", c[0], c[1], c[2]).isEqualTo(api.status());
            assertThat(pub.body()).as("%s %s %s", c[0], c[1], c[2]).isEqualTo(api.body());
            assertThat(pub.contentType()).startsWith("application/json");
        }
        // a rebinding name is refused by the public port's own Host check, before any route, as on every route there
        Answer rebound = post(open.wsPort(), "/emit", "rebind.attacker.example:" + open.wsPort(), json(), EMIT);
        assertThat(rebound.status()).isEqualTo(403);
        assertThat(rebound.body()).isEqualTo("{\"code\":403,\"message\":\"Host not allowed\"}");
    }

    @Test
    void aProxiedCallerWithoutTheTokenGetsTheOld404() throws IOException {
        for (String forwarded : List.of("X-Forwarded-For: 203.0.113.9\r\n", "X-Real-IP: 203.0.113.9\r\n",
                "Forwarded: for=203.0.113.9\r\n")) {
            Answer answer = post(open.wsPort(), "/emit", "127.0.0.1", json() + forwarded, EMIT);
            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.body()).isEqualTo(NOT_FOUND);
        }
        Answer wrongToken = post(tokened.wsPort(), "/emit", "127.0.0.1",
                json() + "X-Forwarded-For: 203.0.113.9\r\nAuthorization: Bearer wrong-token-0123456789\r\n", EMIT);
        assertThat(wrongToken.status()).isEqualTo(404);
        assertThat(wrongToken.body()).isEqualTo(NOT_FOUND);
        Answer get = request(open.wsPort(), "GET /emit HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(get.status()).isEqualTo(404);
    }

    @Test
    void withATokenConfiguredTheSameBearerCheckApplies() throws IOException {
        String bearer = "Authorization: Bearer " + TestServers.EMIT_TOKEN + "\r\n";
        Answer local = post(tokened.wsPort(), "/emit", "127.0.0.1", json(), EMIT);
        Answer api = post(tokened.apiPort(), "/emit", "127.0.0.1", json(), EMIT);
        assertThat(local.status()).isEqualTo(401);
        assertThat(local.body()).isEqualTo(api.body());
        assertThat(local.head().toLowerCase()).contains("www-authenticate: bearer");
        Answer proxied = post(tokened.wsPort(), "/emit", "127.0.0.1",
                json() + "X-Forwarded-For: 203.0.113.9\r\n" + bearer, EMIT);
        assertThat(proxied.status()).as(proxied.body()).isEqualTo(200);
        assertThat(proxied.body()).isEqualTo("{\"success\":true,\"delivered\":0}");
    }

    private static String json() {
        return "Content-Type: application/json\r\n";
    }

    record Answer(int status, String head, String body) {
        String contentType() {
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase().startsWith("content-type:")) {
                    return line.substring(13).trim();
                }
            }
            return "";
        }
    }

    private static Answer post(int port, String path, String host, String headers, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return request(port, "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers + "Content-Length: "
                + bytes.length + "\r\nConnection: close\r\n\r\n" + body);
    }

    /** One raw request on its own connection (any Host header), read to the end. */
    private static Answer request(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String text = readAnswer(in);
            int split = text.indexOf("\r\n\r\n");
            return new Answer(Integer.parseInt(text.substring(9, 12)), text.substring(0, split), text.substring(split + 4));
        }
    }

    /** Head, then a Content-Length body (the public port keeps the connection open after a 404). */
    private static String readAnswer(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head);
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
