package dev.switchboard.socketio;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.switchboard.engineio.EngineMessage;
import dev.switchboard.engineio.EngineRequest;
import dev.switchboard.engineio.EngineSocket;

/** An in-memory Engine.IO session for unit tests: records what is sent, lets the test play the client. */
final class FakeEngineSocket implements EngineSocket {
    private static int counter;

    final BlockingQueue<EngineMessage[]> sent = new LinkedBlockingQueue<>();
    final AtomicReference<String> closeReason = new AtomicReference<>();
    final CountDownLatch closed = new CountDownLatch(1);
    private final String id;
    private final int protocol;
    private final EngineRequest request;
    private volatile Listener listener;
    private final AtomicBoolean open = new AtomicBoolean(true);
    volatile boolean acceptVolatile = true;

    FakeEngineSocket() {
        this(4, Map.of());
    }

    FakeEngineSocket(int protocol, Map<String, List<String>> query) {
        synchronized (FakeEngineSocket.class) {
            this.id = "engine-sid-" + (++counter);
        }
        this.protocol = protocol;
        this.request = new EngineRequest("/socket.io/?EIO=" + protocol, query,
                Map.of("user-agent", List.of("fake")), new InetSocketAddress("127.0.0.1", 40000), false,
                System.currentTimeMillis());
    }

    @Override public String id() { return id; }
    @Override public int protocol() { return protocol; }
    @Override public EngineRequest request() { return request; }
    @Override public String transportName() { return "websocket"; }

    @Override
    public void send(EngineMessage... messages) {
        if (open.get()) {
            sent.add(messages);
        }
    }

    @Override
    public boolean sendVolatile(EngineMessage... messages) {
        if (open.get() && acceptVolatile) {
            sent.add(messages);
            return true;
        }
        return false;
    }

    @Override public long bufferedBytes() { return 0; }
    @Override public boolean isOpen() { return open.get(); }

    @Override
    public void close(String reason) {
        closeFromEngine(reason);
    }

    /** The transport went away (like the engine reporting "transport close"). */
    void closeFromEngine(String reason) {
        if (open.compareAndSet(true, false)) {
            closeReason.set(reason);
            closed.countDown();
            Listener l = listener;
            if (l != null) {
                l.onClose(reason);
            }
        }
    }

    @Override
    public void setListener(Listener listener) {
        this.listener = listener;
    }

    /** The client sends a text message. */
    void receive(String text) {
        listener.onMessage(text);
    }

    void receiveBinary(byte[] data) {
        listener.onBinary(data);
    }

    /** The next batch sent to this socket, as the text of its first message (binary batches: see nextBatch). */
    String nextText(Duration timeout) throws InterruptedException {
        EngineMessage[] batch = nextBatch(timeout);
        return batch[0].text();
    }

    EngineMessage[] nextBatch(Duration timeout) throws InterruptedException {
        EngineMessage[] batch = sent.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (batch == null) {
            throw new AssertionError("nothing sent to " + id + " within " + timeout);
        }
        return batch;
    }

    boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
