package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import dev.switchboard.testkit.RawWebSocket;

class CorsTest {
    private static HttpResponse<String> get(PollingClient c, String query, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(c.uri(query)).GET();
        if (origin != null) {
            request.header("Origin", origin);
        }
        return PollingClient.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void allowListReflectsAllowedOriginsWithCredentialsAndRefusesOthers() throws Exception {
        try (TestEngine engine = new TestEngine(TestEngine.fastOptions()
                .corsOrigins(List.of("http://app.test", "https://other.test:8443")).corsCredentials(true).build())) {
            PollingClient c = new PollingClient(engine.port());
            HttpResponse<String> ok = get(c, "EIO=4&transport=polling", "http://app.test");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("access-control-allow-origin")).hasValue("http://app.test");
            assertThat(ok.headers().firstValue("access-control-allow-credentials")).hasValue("true");
            assertThat(ok.headers().firstValue("vary")).hasValue("Origin");
            String sid = PollingClient.JSON.readTree(ok.body().substring(1)).get("sid").asText();

            HttpResponse<String> post = PollingClient.HTTP.send(HttpRequest.newBuilder(
                    c.uri("EIO=4&transport=polling&sid=" + sid)).header("Origin", "https://other.test:8443")
                    .POST(HttpRequest.BodyPublishers.ofString("4x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(200);
            assertThat(post.headers().firstValue("access-control-allow-origin")).hasValue("https://other.test:8443");

            HttpResponse<String> preflight = PollingClient.HTTP.send(HttpRequest.newBuilder(
                    c.uri("EIO=4&transport=polling&sid=" + sid)).header("Origin", "http://app.test")
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "content-type")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(preflight.statusCode()).isEqualTo(204);
            assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue("http://app.test");
            assertThat(preflight.headers().firstValue("access-control-allow-methods")).hasValue("GET,POST,OPTIONS");
            assertThat(preflight.headers().firstValue("access-control-allow-headers")).hasValue("content-type");

            HttpResponse<String> evil = get(c, "EIO=4&transport=polling", "http://evil.test");
            assertThat(evil.statusCode()).isEqualTo(403);
            assertThat(evil.headers().firstValue("access-control-allow-origin")).isEmpty();
            HttpResponse<String> evilPreflight = PollingClient.HTTP.send(HttpRequest.newBuilder(
                    c.uri("EIO=4&transport=polling")).header("Origin", "http://evil.test")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(evilPreflight.statusCode()).isEqualTo(403);

            // no Origin: a non-browser client, allowed, no CORS headers
            HttpResponse<String> plain = c.get("EIO=4&transport=polling");
            assertThat(plain.statusCode()).isEqualTo(200);
            assertThat(plain.headers().firstValue("access-control-allow-origin")).isEmpty();

            // same origin as the Host header is allowed
            HttpResponse<String> same = get(c, "EIO=4&transport=polling", "http://127.0.0.1:" + engine.port());
            assertThat(same.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void webSocketUpgradeFromAForeignOriginIsRefused() throws Exception {
        try (TestEngine engine = new TestEngine(TestEngine.fastOptions().corsOrigins(List.of("http://app.test")).build())) {
            String q = TestEngine.PATH + "?EIO=4&transport=websocket";
            try (RawWebSocket evil = RawWebSocket.connect(engine.port(), q, Map.of("Origin", "http://evil.test"))) {
                assertThat(evil.handshake.status()).isEqualTo(403);
                assertThat(evil.handshake.body()).isEqualTo("{\"code\":4,\"message\":\"Forbidden\"}");
            }
            try (RawWebSocket ok = RawWebSocket.connect(engine.port(), q, Map.of("Origin", "http://app.test"))) {
                assertThat(ok.handshake.status()).isEqualTo(101);
                assertThat(ok.readText(java.time.Duration.ofSeconds(5))).startsWith("0{");
            }
            try (RawWebSocket none = RawWebSocket.connect(engine.port(), q, Map.of())) {
                assertThat(none.handshake.status()).isEqualTo(101);
            }
        }
    }

    @Test
    void wildcardAllowsAnyOrigin() throws Exception {
        try (TestEngine engine = new TestEngine(TestEngine.fastOptions().corsOrigins(List.of("*")).build())) {
            HttpResponse<String> r = get(new PollingClient(engine.port()), "EIO=4&transport=polling", "http://any.test");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("*");
            assertThat(r.headers().firstValue("access-control-allow-credentials")).isEmpty();
            try (RawWebSocket ws = RawWebSocket.connect(engine.port(), TestEngine.PATH + "?EIO=4&transport=websocket",
                    Map.of("Origin", "http://any.test"))) {
                assertThat(ws.handshake.status()).isEqualTo(101);
            }
        }
    }

    /**
     * "*" with credentials (as the app configures it) must not echo the Origin with Allow-Credentials: every page
     * could then read answers to requests carrying the user's cookies. Node answers a literal "*", which browsers
     * refuse for credentialed requests; so do we, and we leave Allow-Credentials out.
     */
    @Test
    void wildcardWithCredentialsAnswersALiteralStarWithoutCredentials() throws Exception {
        try (TestEngine engine = new TestEngine(TestEngine.fastOptions().corsOrigins(List.of("*")).corsCredentials(true)
                .build())) {
            PollingClient c = new PollingClient(engine.port());
            HttpResponse<String> r = get(c, "EIO=4&transport=polling", "http://evil.test");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("*");
            assertThat(r.headers().firstValue("access-control-allow-credentials")).isEmpty();
            HttpResponse<String> preflight = PollingClient.HTTP.send(HttpRequest.newBuilder(
                    c.uri("EIO=4&transport=polling")).header("Origin", "http://evil.test")
                    .header("Access-Control-Request-Method", "POST")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(preflight.statusCode()).isEqualTo(204);
            assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue("*");
            assertThat(preflight.headers().firstValue("access-control-allow-credentials")).isEmpty();
        }
    }

    @Test
    void emptyListRefusesCrossOriginButAllowsSameOriginAndNonBrowserClients() throws Exception {
        try (TestEngine engine = new TestEngine(TestEngine.fastOptions().corsOrigins(List.of()).build())) {
            PollingClient client = new PollingClient(engine.port());
            HttpResponse<String> cross = get(client, "EIO=4&transport=polling", "http://any.test");
            assertThat(cross.statusCode()).isEqualTo(403);
            HttpResponse<String> same = get(client, "EIO=4&transport=polling", "http://127.0.0.1:" + engine.port());
            assertThat(same.statusCode()).isEqualTo(200);
            assertThat(same.headers().firstValue("access-control-allow-origin")).isEmpty();
            assertThat(get(client, "EIO=4&transport=polling", null).statusCode()).isEqualTo(200);
        }
    }
}
