package dev.switchboard.emitapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.engineio.EngineIoOptions;

/**
 * Issue #15 items 6 and 7 on the API port as it runs by default (loopback, no token): only JSON bodies are
 * emitted, cross-site pages are refused, and a Host that is not ours (DNS rebinding) gets 403 on every route.
 */
class ApiBrowserDefenceTest {
    private static final String EMIT = "{\"namespace\":\"/mcp\",\"event\":\"x\"}";

    private static SocketIoServer io;
    private static SwitchboardMetrics metrics;
    private static EmitApi api;
    private static String host;

    @BeforeAll
    static void start() {
        io = SocketIoServer.builder().engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build()).build();
        io.of("/mcp");
        io.start();
        ServerView view = new NamespacesView(io::namespaces);
        metrics = new SwitchboardMetrics();
        api = new EmitApi(new EmitApiOptions("127.0.0.1", 0, null, 65536, 10), view, metrics,
                new HealthReport(view, metrics, "test")).start();
        host = "127.0.0.1:" + api.port();
    }

    @AfterAll
    static void stop() {
        api.close();
        io.close(Duration.ofSeconds(1));
        metrics.close();
    }

    @Test
    void jsonIsEmitted() throws IOException {
        RawConnection.Answer answer = send("POST", "/emit", host, "Content-Type: application/json; charset=utf-8\r\n", EMIT);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"success\":true,\"delivered\":0}");
    }

    @Test
    void formsTextAndUntypedBodiesAre415OnBothRoutes() throws IOException {
        for (String path : List.of("/emit", "/emit/batch")) {
            String body = path.equals("/emit") ? EMIT : "[" + EMIT + "]";
            for (String type : List.of("Content-Type: text/plain\r\n", "Content-Type: application/x-www-form-urlencoded\r\n",
                    "Content-Type: multipart/form-data; boundary=b\r\n", "")) {
                RawConnection.Answer answer = send("POST", path, host, type, body);
                assertError(answer, 415, "UNSUPPORTED_MEDIA_TYPE");
                assertThat(answer.body()).contains("application/json");
            }
        }
    }

    @Test
    void crossSiteRequestsAre403() throws IOException {
        String json = "Content-Type: application/json\r\n";
        assertError(send("POST", "/emit", host, json + "Origin: http://attacker.example\r\n", EMIT), 403,
                "CROSS_SITE_REQUEST");
        assertError(send("POST", "/emit", host, json + "Sec-Fetch-Site: cross-site\r\n", EMIT), 403,
                "CROSS_SITE_REQUEST");
        assertError(send("POST", "/emit/batch", host, json + "Origin: null\r\n", "[" + EMIT + "]"), 403,
                "CROSS_SITE_REQUEST");
        assertError(send("GET", "/metrics", host, "Sec-Fetch-Site: same-site\r\n", null), 403, "CROSS_SITE_REQUEST");
        // a URL typed into the address bar is no page's request
        assertThat(send("GET", "/health", host, "Sec-Fetch-Site: none\r\n", null).status()).isEqualTo(200);
    }

    @Test
    void aRebindingHostIs403OnEveryRoute() throws IOException {
        String rebound = "rebind.attacker.example:" + api.port();
        for (String path : List.of("/health", "/metrics", "/stats", "/nope")) {
            assertError(send("GET", path, rebound, "", null), 403, "HOST_NOT_ALLOWED");
        }
        assertError(send("POST", "/emit", rebound, "Content-Type: application/json\r\n", EMIT), 403, "HOST_NOT_ALLOWED");
        assertThat(metrics.refusalCount("api_host_not_allowed")).isGreaterThanOrEqualTo(5);
    }

    @Test
    void loopbackNamesPass() throws IOException {
        for (String name : List.of("localhost:" + api.port(), "127.0.0.1", "[::1]:" + api.port(), "LocalHost")) {
            assertThat(send("GET", "/health", name, "", null).status()).as(name).isEqualTo(200);
        }
    }

    private static RawConnection.Answer send(String method, String path, String hostHeader, String headers, String body)
            throws IOException {
        try (RawConnection connection = new RawConnection(api.port())) {
            return connection.exchange(RawConnection.request(method, path, hostHeader, headers, body));
        }
    }

    static void assertError(RawConnection.Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.head() + answer.body()).isEqualTo(status);
        assertThat(answer.head().toLowerCase()).contains("content-type: application/json");
        assertThat(answer.body()).contains("\"success\":false").contains("\"code\":\"" + code + "\"");
    }
}
