package dev.switchboard.engineio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Raw Engine.IO long-polling over java.net.http (loopback). */
final class PollingClient {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final int port;
    final String path;

    PollingClient(int port) {
        this(port, TestEngine.PATH);
    }

    PollingClient(int port, String path) {
        this.port = port;
        this.path = path;
    }

    URI uri(String query) {
        return URI.create("http://127.0.0.1:" + port + path + "?" + query);
    }

    HttpResponse<String> get(String query) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(query)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> getAsync(String query) {
        return HTTP.sendAsync(HttpRequest.newBuilder(uri(query)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String query, String body) throws IOException, InterruptedException {
        return post(query, body.getBytes(StandardCharsets.UTF_8), "text/plain;charset=UTF-8");
    }

    HttpResponse<String> post(String query, byte[] body, String contentType) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(query)).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** EIO=4 polling handshake; returns the open packet's JSON. */
    JsonNode handshake() throws IOException, InterruptedException {
        HttpResponse<String> r = get("EIO=4&transport=polling");
        if (r.statusCode() != 200 || !r.body().startsWith("0")) throw new IOException("bad handshake: " + r.body());
        return JSON.readTree(r.body().substring(1));
    }

    String poll(String sid) throws IOException, InterruptedException {
        HttpResponse<String> r = get("EIO=4&transport=polling&sid=" + sid);
        if (r.statusCode() != 200) throw new IOException("poll failed " + r.statusCode() + " " + r.body());
        return r.body();
    }

    static List<String> packets(String payload) {
        return Arrays.asList(payload.split("\u001e", -1));
    }
}
