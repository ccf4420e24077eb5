package dev.switchboard.emitapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every refused request gets the right status and {@code {success:false, error:{code, message}}}. */
class EmitApiErrorsTest {
    private static final String TOKEN = "test-emit-token-0123456789";
    private static final int MAX_BODY = 2048;

    private static SwitchboardMetrics metrics;
    private static EmitApi api;
    private static ApiClient client;

    /** A server that declares no namespace: every emit names an unknown one. */
    private static final ServerView EMPTY = new NamespacesView(List::of);

    @BeforeAll
    static void start() {
        metrics = new SwitchboardMetrics();
        api = new EmitApi(new EmitApiOptions("127.0.0.1", 0, TOKEN, MAX_BODY, 3), EMPTY, metrics,
                new HealthReport(EMPTY, metrics, "test")).start();
        client = new ApiClient(api.port(), TOKEN);
    }

    @AfterAll
    static void stop() {
        api.close();
        metrics.close();
    }

    @Test
    void unknownNamespaceIs404() {
        ApiClient.Reply reply = client.post("/emit", "{\"namespace\":\"/nope\",\"event\":\"x\"}");
        assertError(reply, 404, "UNKNOWN_NAMESPACE");
        assertThat(reply.json().path("error").path("message").asText()).contains("/nope");
    }

    @Test
    void missingEventIs400() {
        assertError(client.post("/emit", "{\"namespace\":\"/mcp\"}"), 400, "MISSING_EVENT");
        assertError(client.post("/emit", "{\"namespace\":\"/mcp\",\"event\":\"\"}"), 400, "MISSING_EVENT");
    }

    @Test
    void missingNamespaceIs400() {
        assertError(client.post("/emit", "{\"event\":\"x\"}"), 400, "MISSING_NAMESPACE");
    }

    @Test
    void wrongTypesAre400() {
        assertError(client.post("/emit", "{\"namespace\":1,\"event\":\"x\"}"), 400, "INVALID_TYPE");
        assertError(client.post("/emit", "{\"namespace\":\"/mcp\",\"event\":[\"x\"]}"), 400, "INVALID_TYPE");
        assertError(client.post("/emit", "{\"namespace\":\"/mcp\",\"event\":\"x\",\"room\":5}"), 400, "INVALID_TYPE");
        assertError(client.post("/emit", "{\"namespace\":\"/mcp\",\"event\":\"x\",\"room\":[\"a\"]}"), 400, "INVALID_TYPE");
        assertError(client.post("/emit", "{\"namespace\":\"/mcp\",\"event\":\"x\",\"rooms\":[\"a\",2]}"), 400, "INVALID_TYPE");
        assertError(client.post("/emit", "{\"namespace\":\"/mcp\",\"event\":\"x\",\"except\":{}}"), 400, "INVALID_TYPE");
        assertError(client.post("/emit", "{\"namespace\":\"/mcp\",\"event\":\"x\",\"volatile\":\"yes\"}"), 400, "INVALID_TYPE");
        assertError(client.post("/emit", "{\"namespace\":\"/mcp\",\"event\":\"x\",\"room\":\"\"}"), 400, "INVALID_TYPE");
    }

    @Test
    void unknownFieldIs400SoATypoNeverBroadcastsToEveryone() {
        ApiClient.Reply reply = client.post("/emit", "{\"namespace\":\"/mcp\",\"event\":\"x\",\"rom\":\"a\"}");
        assertError(reply, 400, "UNKNOWN_FIELD");
        assertThat(reply.json().path("error").path("message").asText()).contains("rom");
    }

    @Test
    void reservedEventIs400() {
        assertError(client.post("/emit", "{\"namespace\":\"/mcp\",\"event\":\"disconnect\"}"), 400, "RESERVED_EVENT");
    }

    @Test
    void invalidJsonIs400() {
        assertError(client.post("/emit", "{\"namespace\":"), 400, "INVALID_JSON");
        assertError(client.post("/emit", "not json"), 400, "INVALID_JSON");
        assertError(client.post("/emit", ""), 400, "INVALID_JSON");
        assertError(client.post("/emit", "{\"namespace\":\"/mcp\",\"event\":\"x\"} trailing"), 400, "INVALID_JSON");
        assertError(client.post("/emit", "{\"namespace\":\"/mcp\",\"event\":\"x\",\"room\":\"a\",\"room\":\"b\"}"),
                400, "INVALID_JSON");
    }

    @Test
    void nonObjectBodyIs400() {
        assertError(client.post("/emit", "[1,2]"), 400, "INVALID_BODY");
        assertError(client.post("/emit", "\"text\""), 400, "INVALID_BODY");
    }

    @Test
    void bodyOverTheLimitIs413WithAndWithoutContentLength() {
        String big = "{\"namespace\":\"/mcp\",\"event\":\"x\",\"data\":\"" + "a".repeat(MAX_BODY) + "\"}";
        assertError(client.post("/emit", big), 413, "BODY_TOO_LARGE");
        // chunked: no Content-Length, the limit is enforced while reading
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(client.base() + "/emit"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes())))
                .build();
        assertError(client.send(chunked), 413, "BODY_TOO_LARGE");
    }

    @Test
    void missingOrWrongTokenIs401AndCounted() {
        long before = metrics.refusalCount("api_unauthorized");
        assertError(client.post("/emit", "{\"namespace\":\"/mcp\",\"event\":\"x\"}", null), 401, "UNAUTHORIZED");
        assertError(client.post("/emit", "{\"namespace\":\"/mcp\",\"event\":\"x\"}", TOKEN + "x"), 401, "UNAUTHORIZED");
        assertError(client.post("/emit/batch", "[]", "wrong"), 401, "UNAUTHORIZED");
        assertError(client.get("/stats", null), 401, "UNAUTHORIZED");
        assertThat(metrics.refusalCount("api_unauthorized")).isEqualTo(before + 4);
    }

    /** Refused before its body arrived: the answer says the connection closes, so no client reuses it. */
    @Test
    void aRefusalBeforeTheBodyClosesTheConnectionAndSaysSo() throws Exception {
        try (RawConnection caller = new RawConnection(api.port())) {
            String request = RawConnection.request("POST", "/emit", "127.0.0.1",
                    "Content-Type: application/json\r\nAuthorization: Bearer wrong\r\n", "{\"namespace\":\"/mcp\"}");
            caller.send(request.substring(0, request.indexOf("\r\n\r\n") + 4)); // the head only
            RawConnection.Answer answer = caller.read();
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.head()).containsIgnoringCase("Connection: close");
            assertThat(caller.closedByServer()).isTrue();
        }
    }

    @Test
    void batchRefusals() {
        assertError(client.post("/emit/batch", "{}"), 400, "INVALID_BODY");
        assertError(client.post("/emit/batch", "[]"), 400, "EMPTY_BATCH");
        assertError(client.post("/emit/batch", "[{},{},{},{}]"), 413, "BATCH_TOO_LARGE");
        assertError(client.post("/emit/batch", "[{"), 400, "INVALID_JSON");
    }

    @Test
    void batchReportsEachItem() {
        ApiClient.Reply reply = client.post("/emit/batch",
                "[{\"namespace\":\"/nope\",\"event\":\"x\"},{\"event\":\"x\"},5]");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("success").asBoolean()).isFalse();
        assertThat(reply.json().path("failed").asInt()).isEqualTo(3);
        assertThat(reply.json().path("results").get(0).path("error").path("code").asText()).isEqualTo("UNKNOWN_NAMESPACE");
        assertThat(reply.json().path("results").get(1).path("error").path("code").asText()).isEqualTo("MISSING_NAMESPACE");
        assertThat(reply.json().path("results").get(2).path("error").path("code").asText()).isEqualTo("INVALID_BODY");
    }

    @Test
    void unknownRouteIs404AndWrongMethodIsJsonToo() {
        assertError(client.get("/nope"), 404, "NOT_FOUND");
        assertError(client.get("/emit"), 405, "METHOD_NOT_ALLOWED");
        HttpRequest put = HttpRequest.newBuilder(URI.create(client.base() + "/emit/"))
                .timeout(Duration.ofSeconds(10))
                .PUT(HttpRequest.BodyPublishers.ofString("{}"))
                .build();
        ApiClient.Reply reply = client.send(put);
        assertError(reply, 405, "METHOD_NOT_ALLOWED");
        assertThat(reply.json().path("error").path("message").asText()).contains("PUT").contains("POST");
        assertThat(reply.header("allow")).isEqualTo("POST");
    }

    @Test
    void bodyCutShortOfItsContentLengthIs400AndTheApiAnswersOn() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", api.port())) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(("POST /emit HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"namespace\"")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            socket.shutdownOutput();
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("\"INVALID_BODY\"");
        }
        assertError(client.post("/emit", "{\"namespace\":\"/nope\",\"event\":\"x\"}"), 404, "UNKNOWN_NAMESPACE");
    }

    @Test
    void aForeignHostNeedsTheToken() throws Exception {
        String withToken = exchange("GET /stats HTTP/1.1\r\nHost: 10.0.0.5:3008\r\nAuthorization: Bearer " + TOKEN
                + "\r\nConnection: close\r\n\r\n");
        assertThat(withToken).startsWith("HTTP/1.1 200");
        String without = exchange("GET /health HTTP/1.1\r\nHost: 10.0.0.5:3008\r\nConnection: close\r\n\r\n");
        assertThat(without).startsWith("HTTP/1.1 403").contains("\"HOST_NOT_ALLOWED\"");
    }

    private static String exchange(String request) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", api.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void healthIsOpenAndShaped() {
        ApiClient.Reply reply = client.get("/health", null);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("success").asBoolean()).isTrue();
        assertThat(reply.json().path("status").asText()).isEqualTo("healthy");
        assertThat(reply.json().path("connections").isObject()).isTrue();
        assertThat(reply.json().path("activeStreams").asInt(-1)).isZero();
        assertThat(reply.json().path("version").asText()).isEqualTo("test");
        assertThat(reply.json().path("uptime").isNumber()).isTrue();
    }

    /**
     * /metrics tells build, Java version, connections per namespace and refusals by reason: with EMIT_TOKEN set it
     * wants the token as /stats does (what the alert rules tell Prometheus to send), so an API port exposed with a
     * token answers nothing of it to anyone else.
     */
    @Test
    void metricsWithoutTheTokenIs401() {
        ApiClient.Reply reply = client.get("/metrics", null);
        assertError(reply, 401, "UNAUTHORIZED");
        assertThat(reply.body()).doesNotContain("switchboard_").doesNotContain("jvm_");
        assertError(client.get("/metrics", "wrong-token-0123456789"), 401, "UNAUTHORIZED");
    }

    @Test
    void metricsIsPrometheusText() {
        ApiClient.Reply reply = client.get("/metrics", TOKEN);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("text/plain");
        assertThat(reply.body()).contains("# TYPE jvm_memory_used_bytes gauge");
    }

    private static void assertError(ApiClient.Reply reply, int status, String code) {
        assertThat(reply.status()).as("status of %s", reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/json");
        assertThat(reply.json().path("success").asBoolean(true)).isFalse();
        assertThat(reply.errorCode()).isEqualTo(code);
        assertThat(reply.json().path("error").path("message").asText()).isNotBlank();
    }
}
