package dev.switchboard.bench.loadgen;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/** Shared state of all client connections of one load-generator run. */
final class Fleet {
    final String namespace;
    /** Room to join after CONNECT, or null (then a client is ready once connected to the namespace). */
    final String room;
    final String benchEvent;
    final Semaphore connectWindow;

    final AtomicInteger upgraded = new AtomicInteger();
    final AtomicInteger connected = new AtomicInteger();
    final AtomicInteger ready = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger closedByServer = new AtomicInteger();
    final AtomicInteger connectErrors = new AtomicInteger();
    final AtomicInteger pingsAnswered = new AtomicInteger();
    final AtomicInteger otherFrames = new AtomicInteger();
    final List<String> errors = new CopyOnWriteArrayList<>();

    volatile boolean stopping;
    /** Measurement window, on System.nanoTime(); events emitted inside it are timed. */
    volatile long windowStart = Long.MAX_VALUE;
    volatile long windowEnd = Long.MIN_VALUE;

    Fleet(String namespace, String room, String benchEvent, int connectConcurrency) {
        this.namespace = namespace;
        this.room = room;
        this.benchEvent = benchEvent;
        this.connectWindow = new Semaphore(connectConcurrency);
    }

    void error(String message) {
        if (errors.size() < 20) {
            errors.add(message);
        }
    }
}
