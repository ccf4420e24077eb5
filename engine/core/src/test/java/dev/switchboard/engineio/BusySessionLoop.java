package dev.switchboard.engineio;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test engine on two I/O loops whose sessions' loop can be held busy: the message "block" keeps it until
 * {@link #release()} (or the timeout), so packets read on the other loop pile up waiting for it.
 */
final class BusySessionLoop implements AutoCloseable {
    final TestEngine engine;
    /** Messages the sessions took, "block" included. */
    final AtomicInteger delivered = new AtomicInteger();
    private final CountDownLatch blocked = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    BusySessionLoop(Duration timeout) {
        engine = new TestEngine(TestEngine.fastOptions().ioThreads(2).build(), socket -> socket.setListener(
                new EngineSocket.Listener() {
                    @Override
                    public void onMessage(String text) {
                        delivered.incrementAndGet();
                        if (!"block".equals(text)) return;
                        blocked.countDown();
                        try {
                            release.await(timeout.toMillis(), TimeUnit.MILLISECONDS); // the session's loop is busy
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }

                    @Override
                    public void onBinary(byte[] data) {
                    }

                    @Override
                    public void onClose(String reason) {
                        engine.closeReasons.put(socket.id(), reason);
                    }
                }));
    }

    /** True once a session's loop is held by "block". */
    boolean awaitBlocked(Duration timeout) throws InterruptedException {
        return blocked.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void release() {
        release.countDown();
    }

    @Override
    public void close() {
        release();
        engine.close();
    }
}
