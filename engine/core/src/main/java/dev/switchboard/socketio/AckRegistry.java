package dev.switchboard.socketio;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Acks this server is waiting for from one socket. Futures complete on a worker thread (never on the I/O or
 * timer thread), fail with TimeoutException after their timeout and with IllegalStateException on disconnect.
 */
final class AckRegistry {
    private final WorkerPool pool;
    private final AtomicLong nextId = new AtomicLong();
    private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();

    AckRegistry(WorkerPool pool) {
        this.pool = pool;
    }

    /** Registers a new ack and returns its id; the future fails after {@code timeout}. */
    long register(CompletableFuture<List<JsonNode>> future, Duration timeout) {
        long id = nextId.getAndIncrement();
        Pending entry = new Pending(future);
        pending.put(id, entry);
        entry.timer = pool.schedule(timeout, () -> {
            if (pending.remove(id, entry)) {
                completeOnWorker(future, null,
                        new TimeoutException("no ack within " + timeout.toMillis() + " ms"));
            }
        });
        return id;
    }

    /** Completes the ack with this id; unknown or late ids are ignored (Node does the same). */
    void complete(long id, List<JsonNode> args) {
        Pending entry = pending.remove(id);
        if (entry != null) {
            entry.cancelTimer();
            completeOnWorker(entry.future, args, null);
        }
    }

    /** Forgets an ack whose packet could not be sent. */
    void cancel(long id) {
        Pending entry = pending.remove(id);
        if (entry != null) {
            entry.cancelTimer();
        }
    }

    /** Fails every pending ack (the socket disconnected) and frees their bookkeeping. */
    void failAll(String reason) {
        for (Long id : pending.keySet()) {
            Pending entry = pending.remove(id);
            if (entry != null) {
                entry.cancelTimer();
                completeOnWorker(entry.future, null, new IllegalStateException("socket disconnected: " + reason));
            }
        }
    }

    int size() {
        return pending.size();
    }

    private void completeOnWorker(CompletableFuture<List<JsonNode>> future, List<JsonNode> value, Throwable error) {
        Runnable completion = error == null ? () -> future.complete(value) : () -> future.completeExceptionally(error);
        try {
            pool.execute(completion);
        } catch (RuntimeException rejected) {
            completion.run();
        }
    }

    private static final class Pending {
        final CompletableFuture<List<JsonNode>> future;
        volatile ScheduledFuture<?> timer;

        Pending(CompletableFuture<List<JsonNode>> future) {
            this.future = future;
        }

        void cancelTimer() {
            ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
        }
    }
}
