package dev.switchboard.namespaces.files;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import dev.switchboard.namespaces.core.StreamSink;

/** A real {@link StreamSink} that records what an upstream delivered, for tests that drive an upstream directly. */
final class RecordingSink implements StreamSink {
    record Delivery(String event, Object payload, boolean volatileEmit) {
    }

    private final List<Delivery> deliveries = new ArrayList<>();
    private Object closedPayload;

    @Override
    public synchronized void emit(String event, Object payload) {
        deliveries.add(new Delivery(event, payload, false));
        notifyAll();
    }

    @Override
    public synchronized void emitVolatile(String event, Object payload) {
        deliveries.add(new Delivery(event, payload, true));
        notifyAll();
    }

    @Override
    public synchronized void closed(Object payload) {
        closedPayload = payload;
        notifyAll();
    }

    synchronized List<FileChange> changes() {
        List<FileChange> out = new ArrayList<>();
        for (Delivery d : deliveries) {
            if (d.payload() instanceof FileChange change) {
                out.add(change);
            }
        }
        return out;
    }

    synchronized Object closedPayload() {
        return closedPayload;
    }

    /** Waits until the recorded changes satisfy {@code condition}; fails with what was recorded otherwise. */
    synchronized List<FileChange> awaitChanges(Predicate<List<FileChange>> condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<FileChange> changes = changes();
            if (condition.test(changes)) {
                return changes;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                int from = Math.max(0, changes.size() - 20);
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what
                        + "; " + changes.size() + " changes, last: " + changes.subList(from, changes.size()));
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    synchronized void awaitClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (closedPayload == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("upstream did not report closed within " + timeout.toMillis() + " ms");
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    static Predicate<List<FileChange>> has(String type, java.nio.file.Path path) {
        return changes -> changes.stream().anyMatch(c -> c.type().equals(type) && c.path().equals(path.toString()));
    }
}
