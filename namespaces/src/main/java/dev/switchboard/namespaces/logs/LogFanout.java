package dev.switchboard.namespaces.logs;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import dev.switchboard.namespaces.core.StreamSink;
import dev.switchboard.socketio.Socket;

/**
 * Delivers the lines of one shared log stream.
 * <ul>
 * <li>Batching: lines are sent as {@code logs {<sourceField>: source, lines: [...]}}, one event per
 * {@code maxBatch} lines or every {@code flushEvery} (whichever comes first), so a flood costs one encode per
 * batch, not per line. With {@code withText}, each event also carries {@code data}: the lines' text joined by
 * {@code \n} (what existing /services frontends print).</li>
 * <li>Tail for late subscribers: the last {@code ringCapacity} lines stay in a ring. {@link #admit} flushes the
 * pending batch, sends the subscriber its own tail from the ring and joins it to the room, all under the lock
 * lines are added under: the subscriber sees neither a gap nor a duplicate between its tail and the live lines.</li>
 * <li>End: after {@link #end} a late subscriber gets its tail and {@code stream:closed} directly and does not
 * join the room (which is being released).</li>
 * </ul>
 */
public final class LogFanout {
    private final String sourceField;
    private final String source;
    private final StreamSink sink;
    private final int ringCapacity;
    private final int maxBatch;
    private final boolean timestamps;
    private final boolean withText;
    private final ArrayDeque<LogLine> ring;
    private List<LogLine> pending;
    private final ScheduledExecutorService scheduler;
    private final long flushMillis;
    private boolean flushScheduled;
    private boolean stopped;
    private Object endPayload;

    public LogFanout(String sourceField, String source, StreamSink sink, int ringCapacity, int maxBatch,
                     boolean timestamps, boolean withText, ScheduledExecutorService scheduler, Duration flushEvery) {
        this.sourceField = sourceField;
        this.source = source;
        this.sink = sink;
        this.ringCapacity = Math.max(1, ringCapacity);
        this.maxBatch = maxBatch;
        this.timestamps = timestamps;
        this.withText = withText;
        this.ring = new ArrayDeque<>(Math.min(this.ringCapacity, 4096));
        this.pending = new ArrayList<>(Math.min(maxBatch, 64));
        this.scheduler = scheduler;
        this.flushMillis = Math.max(1, flushEvery.toMillis());
    }

    /** Stores a line of the backlog (before any subscriber): it goes to the ring only. */
    public synchronized void remember(LogLine line) {
        keep(line);
    }

    /** A live line: kept in the ring and queued for the room. */
    public synchronized void add(LogLine line) {
        if (endPayload != null || stopped) {
            return;
        }
        keep(line);
        pending.add(timestamps ? line : line.withoutTimestamp());
        if (pending.size() >= maxBatch) {
            flush();
        } else if (!flushScheduled && !stopped) {
            // one timer per partial batch, none while the stream is idle
            flushScheduled = true;
            try {
                scheduler.schedule(this::timedFlush, flushMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                stopped = true; // server shutting down
            }
        }
    }

    private synchronized void timedFlush() {
        flushScheduled = false;
        flush();
    }

    public synchronized void flush() {
        if (pending.isEmpty() || stopped) {
            return;
        }
        List<LogLine> batch = pending;
        pending = new ArrayList<>(Math.min(maxBatch, Math.max(16, batch.size())));
        sink.emit("logs", payload(batch));
    }

    /** Sends an informational event (e.g. reconnecting) to the room, after the lines before it. */
    public synchronized void notice(String message) {
        flush();
        Map<String, Object> notice = new LinkedHashMap<>();
        notice.put(sourceField, source);
        notice.put("message", message);
        sink.emit("logs:notice", notice);
    }

    /**
     * Sends the subscriber its tail then joins it to the room.
     *
     * @param tail      how many of the most recent lines to send first
     * @param sinceTime lines older than this RFC 3339 time are left out of the tail (null: no limit)
     */
    public void admit(Socket subscriber, Runnable join, int tail, String sinceTime) {
        admit(subscriber, join, tail, sinceTime, UnaryOperator.identity());
    }

    /** Like {@link #admit(Socket, Runnable, int, String)}; what goes to the subscriber directly passes {@code adapt} first. */
    public synchronized void admit(Socket subscriber, Runnable join, int tail, String sinceTime,
                                   UnaryOperator<Object> adapt) {
        flush();
        List<LogLine> lines = tailOf(tail, sinceTime);
        for (int from = 0; from < lines.size(); from += maxBatch) {
            subscriber.emit("logs", adapt.apply(payload(lines.subList(from, Math.min(lines.size(), from + maxBatch)))));
        }
        if (endPayload != null) {
            subscriber.emit("stream:closed", adapt.apply(endPayload));
        } else {
            join.run();
        }
    }

    /** Flushes and stops accepting lines; returns false when it had already ended. */
    public synchronized boolean end(Object closedPayload) {
        if (endPayload != null) {
            return false;
        }
        flush();
        endPayload = closedPayload;
        stopped = true;
        return true;
    }

    public synchronized boolean ended() {
        return endPayload != null;
    }

    /** Drops what is pending and sends nothing more (the stream was closed by its last subscriber). */
    public synchronized void stop() {
        stopped = true;
        pending.clear();
    }

    private void keep(LogLine line) {
        if (ring.size() == ringCapacity) {
            ring.pollFirst();
        }
        ring.addLast(line);
    }

    private List<LogLine> tailOf(int tail, String sinceTime) {
        int n = Math.min(tail, ring.size());
        ArrayList<LogLine> out = new ArrayList<>(n);
        Iterator<LogLine> it = ring.descendingIterator();
        while (out.size() < n && it.hasNext()) {
            LogLine line = it.next();
            if (sinceTime != null && line.timestamp() != null && line.timestamp().compareTo(sinceTime) < 0) {
                break;
            }
            out.add(timestamps ? line : line.withoutTimestamp());
        }
        Collections.reverse(out);
        return out;
    }

    private Map<String, Object> payload(List<LogLine> lines) {
        Map<String, Object> payload = new LinkedHashMap<>(4);
        payload.put(sourceField, source);
        payload.put("lines", lines);
        if (withText) {
            payload.put("data", text(lines));
        }
        return payload;
    }

    private static String text(List<LogLine> lines) {
        StringBuilder text = new StringBuilder();
        for (LogLine line : lines) {
            if (text.length() > 0) {
                text.append('\n');
            }
            text.append(line.line());
        }
        return text.toString();
    }
}
