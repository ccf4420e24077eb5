package dev.switchboard.socketio;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bare Engine.IO v4 WebSocket client (java.net.http) for raw-frame tests: sends exactly the frames a test
 * writes and records every frame received. Answers nothing by itself (not even pings) unless asked to.
 */
final class RawWebSocketClient implements AutoCloseable {
    /** A received frame: text, or binary (text null), or the close (closeCode >= 0). */
    record Frame(String text, byte[] binary, int closeCode) {
        boolean isClose() {
            return closeCode >= 0;
        }
    }

    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final WebSocket ws;
    private final boolean answerPings;

    private RawWebSocketClient(int port, boolean answerPings) throws Exception {
        this.answerPings = answerPings;
        this.ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket"), new Listener())
                .get(10, TimeUnit.SECONDS);
    }

    static RawWebSocketClient open(int port) throws Exception {
        return new RawWebSocketClient(port, true);
    }

    static RawWebSocketClient openSilent(int port) throws Exception {
        return new RawWebSocketClient(port, false);
    }

    /** Waits for the Engine.IO open packet and returns it (without the leading "0"). */
    String awaitOpen() throws InterruptedException {
        String open = nextText();
        if (!open.startsWith("0{")) {
            throw new AssertionError("expected the Engine.IO open packet, got " + open);
        }
        return open.substring(1);
    }

    void send(String text) {
        ws.sendText(text, true).join();
    }

    void sendBinary(byte[] data) {
        ws.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    /** The next frame; a close frame or the connection's end counts as a frame. */
    Frame next(Duration timeout) throws InterruptedException {
        Frame f = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (f == null) {
            throw new AssertionError("no frame within " + timeout);
        }
        return f;
    }

    /** The next text frame other than Engine.IO pings (answered when this client answers pings). */
    String nextText() throws InterruptedException {
        while (true) {
            Frame f = next(Duration.ofSeconds(10));
            if (f.isClose()) {
                throw new AssertionError("closed (code " + f.closeCode() + ") while waiting for a text frame");
            }
            if (f.text() != null && !"2".equals(f.text())) {
                return f.text();
            }
        }
    }

    byte[] nextBinary() throws InterruptedException {
        Frame f = next(Duration.ofSeconds(10));
        if (f.binary() == null) {
            throw new AssertionError("expected a binary frame, got " + f);
        }
        return f.binary();
    }

    /** Waits until the server closes the connection; returns whether it did within {@code timeout}. */
    boolean awaitClosed(Duration timeout) {
        try {
            closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        ws.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private ByteBuffer binary = ByteBuffer.allocate(0);

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String t = text.toString();
                text.setLength(0);
                if (answerPings && "2".equals(t)) {
                    webSocket.sendText("3", true);
                }
                frames.add(new Frame(t, null, -1));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            ByteBuffer grown = ByteBuffer.allocate(binary.remaining() + data.remaining());
            grown.put(binary).put(data).flip();
            binary = grown;
            if (last) {
                byte[] bytes = new byte[binary.remaining()];
                binary.get(bytes);
                binary = ByteBuffer.allocate(0);
                frames.add(new Frame(null, bytes, -1));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            frames.add(new Frame(null, null, statusCode));
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            frames.add(new Frame(null, null, 1006));
            closed.complete(null);
        }
    }
}
