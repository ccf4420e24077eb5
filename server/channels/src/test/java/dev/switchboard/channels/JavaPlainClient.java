package dev.switchboard.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A plain channel client on java.net.http.WebSocket: keeps every received JSON message for awaiting. */
final class JavaPlainClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> received = new ArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket ws;

    private JavaPlainClient(String url, Map<String, String> headers) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        this.ws = builder.buildAsync(URI.create(url), new Listener()).orTimeout(10, TimeUnit.SECONDS).join();
    }

    static JavaPlainClient connect(String url) {
        return new JavaPlainClient(url, Map.of());
    }

    /** With extra handshake headers, e.g. the X-Forwarded-For a reverse proxy adds. */
    static JavaPlainClient connect(String url, Map<String, String> headers) {
        return new JavaPlainClient(url, headers);
    }

    void send(String text) {
        ws.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** The first received message matching {@code match} (already received ones count). */
    JsonNode await(Predicate<JsonNode> match, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (received) {
            int seen = 0;
            while (true) {
                for (; seen < received.size(); seen++) {
                    if (match.test(received.get(seen))) return received.get(seen);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed.isDone() && seen == received.size()) {
                    throw new AssertionError("no " + what + " within " + timeout.toMillis() + " ms (closed="
                            + closed.getNow(null) + "); received " + received);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(received, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    JsonNode awaitReply(String id, Duration timeout) {
        return await(m -> id.equals(m.path("id").asText(null)), timeout, "reply to id " + id);
    }

    /** Messages received so far matching {@code match}. */
    List<JsonNode> all(Predicate<JsonNode> match) {
        synchronized (received) {
            return received.stream().filter(match).toList();
        }
    }

    int awaitClose(Duration timeout) {
        return closed.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        ws.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonNode node;
                try {
                    node = JSON.readTree(partial.toString());
                } catch (Exception e) {
                    node = JSON.getNodeFactory().textNode(partial.toString());
                }
                partial.setLength(0);
                synchronized (received) {
                    received.add(node);
                    received.notifyAll();
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            synchronized (received) {
                received.notifyAll();
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
            synchronized (received) {
                received.notifyAll();
            }
        }
    }
}
