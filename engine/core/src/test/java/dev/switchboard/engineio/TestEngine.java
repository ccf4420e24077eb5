package dev.switchboard.engineio;

import dev.switchboard.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A real EngineIoServer on an ephemeral loopback port with an echo endpoint at /engine.io/ that records events. */
final class TestEngine implements AutoCloseable {
    static final String PATH = "/engine.io/";

    final EngineIoServer server;
    final BlockingQueue<EngineSocket> connections = new LinkedBlockingQueue<>();
    final Map<String, List<String>> received = new ConcurrentHashMap<>();
    final Map<String, String> closeReasons = new ConcurrentHashMap<>();
    final Map<String, Integer> closeCalls = new ConcurrentHashMap<>();
    final List<String> listenerThreads = new CopyOnWriteArrayList<>();
    volatile boolean echo = true;

    TestEngine(EngineIoOptions options) {
        this(options, s -> { });
    }

    TestEngine(EngineIoOptions options, Consumer<EngineSocket> onOpen) {
        server = EngineIoServer.create(options.toBuilder().host("127.0.0.1").port(0).build())
                .endpoint(PATH, socket -> {
                    received.put(socket.id(), new CopyOnWriteArrayList<>());
                    socket.setListener(new EngineSocket.Listener() {
                        @Override
                        public void onMessage(String text) {
                            listenerThreads.add(Thread.currentThread().getName());
                            received.get(socket.id()).add(text);
                            if (echo) socket.send(EngineMessage.text(text));
                        }

                        @Override
                        public void onBinary(byte[] data) {
                            received.get(socket.id()).add("bin:" + data.length);
                            if (echo) socket.send(EngineMessage.binary(data));
                        }

                        @Override
                        public void onClose(String reason) {
                            closeReasons.put(socket.id(), reason);
                            closeCalls.merge(socket.id(), 1, Integer::sum);
                        }
                    });
                    onOpen.accept(socket);
                    connections.add(socket);
                })
                .route("GET", "/health", r -> HttpReply.json(200, "{\"ok\":true}".getBytes()))
                .start();
    }

    static EngineIoOptions.Builder fastOptions() {
        return EngineIoOptions.builder()
                .pingInterval(Duration.ofSeconds(30)).pingTimeout(Duration.ofSeconds(30))
                .upgradeTimeout(Duration.ofSeconds(5)).allowEio3(true);
    }

    int port() {
        return server.port();
    }

    EngineSocket nextConnection() throws InterruptedException {
        EngineSocket s = connections.poll(5, TimeUnit.SECONDS);
        if (s == null) throw new AssertionError("no connection within 5 s");
        return s;
    }

    String awaitClose(String sid, Duration timeout) {
        return Await.value(() -> closeReasons.get(sid), timeout, "close of session " + sid);
    }

    @Override
    public void close() {
        server.close();
    }
}
