package dev.switchboard.app;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A plain {@code /ws} client (the JDK's WebSocket) that collects every message it receives as JSON. */
final class PlainWsClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final Duration wait;
    private WebSocket ws;

    private PlainWsClient(Duration wait) {
        this.wait = wait;
    }

    /** Opens {@code /ws} on the server's public port and waits for its {@code connected} message. */
    static PlainWsClient connect(SwitchboardServer server, Duration wait) throws Exception {
        PlainWsClient client = new PlainWsClient(wait);
        client.ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.wsPort() + "/ws"), client.collector())
                .get(10, TimeUnit.SECONDS);
        try {
            client.take(m -> "connected".equals(m.path("type").asText()));
        } catch (InterruptedException | AssertionError e) {
            client.close();
            throw e;
        }
        return client;
    }

    void send(String text) {
        ws.sendText(text, true).join();
    }

    /** The first message (from here on) that matches, within the client's wait. */
    JsonNode take(Predicate<JsonNode> match) throws InterruptedException {
        List<JsonNode> taken = takeUntil(match);
        return taken.get(taken.size() - 1);
    }

    /** Every message up to and including the first that matches, within the client's wait. */
    List<JsonNode> takeUntil(Predicate<JsonNode> match) throws InterruptedException {
        List<JsonNode> taken = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            JsonNode next = received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("no matching message within " + wait + "; got " + taken);
            }
            taken.add(next);
            if (match.test(next)) {
                return taken;
            }
        }
    }

    @Override
    public void close() {
        if (ws != null) {
            ws.abort();
        }
    }

    private WebSocket.Listener collector() {
        return new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    try {
                        received.add(JSON.readTree(text.toString()));
                    } catch (Exception e) {
                        received.add(JSON.getNodeFactory().textNode(text.toString()));
                    }
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        };
    }
}
