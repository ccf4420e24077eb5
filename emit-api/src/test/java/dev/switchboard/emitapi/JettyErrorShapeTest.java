package dev.switchboard.emitapi;

import static dev.switchboard.emitapi.ApiBrowserDefenceTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests Jetty refuses before any route runs (it cannot parse them) still get the API's error shape
 * {@code {success:false, error:{code, message}}} as JSON, not Jetty's HTML page; the port keeps answering.
 */
class JettyErrorShapeTest {
    private static final String TOKEN = "test-emit-token-0123456789";

    private static SwitchboardMetrics metrics;
    private static EmitApi api;

    @BeforeAll
    static void start() {
        metrics = new SwitchboardMetrics();
        ServerView empty = new NamespacesView(List::of);
        api = new EmitApi(new EmitApiOptions("127.0.0.1", 0, TOKEN, 4096, 3), empty, metrics,
                new HealthReport(empty, metrics, "test")).start();
    }

    @AfterAll
    static void stop() {
        api.close();
        metrics.close();
    }

    @Test
    void requestsJettyCannotParseAreAnsweredInTheApisJsonShape() throws IOException {
        String host = "127.0.0.1:" + api.port();
        String json = "Content-Type: application/json\r\nAuthorization: Bearer " + TOKEN + "\r\n";
        assertError(exchange("GET /%zz HTTP/1.1\r\nHost: " + host + "\r\n\r\n"), 400, "BAD_REQUEST");
        assertError(exchange("GET /health%00 HTTP/1.1\r\nHost: " + host + "\r\n\r\n"), 400, "BAD_REQUEST");
        assertError(exchange("GET /health HTTP/1.1\r\n\r\n"), 400, "BAD_REQUEST"); // no Host
        assertError(exchange("GET /health HTTP/1.1\r\nHost: " + host + "\r\nHost: other\r\n\r\n"), 400, "BAD_REQUEST");
        assertError(exchange("POST /emit HTTP/1.1\r\nHost: " + host + "\r\n" + json + "Content-Length: abc\r\n\r\n"),
                400, "BAD_REQUEST");
        assertError(exchange("GET /health HTTP/1.1\r\nHost: " + host + "\r\nX-Big: " + "a".repeat(70_000) + "\r\n\r\n"),
                431, "HEADERS_TOO_LARGE");
        assertThat(exchange("GET /health HTTP/1.1\r\nHost: " + host + "\r\n\r\n").status()).isEqualTo(200);
    }

    private static RawConnection.Answer exchange(String request) throws IOException {
        try (RawConnection connection = new RawConnection(api.port())) {
            return connection.exchange(request);
        }
    }
}
