package dev.switchboard.namespaces.logs;

import dev.switchboard.namespaces.core.ProducerException;
import dev.switchboard.namespaces.core.SharedStreams;
import dev.switchboard.socketio.Socket;

/**
 * Hands a subscriber's own tail request to {@code Upstream.admit}, which only receives the socket:
 * {@link #subscribe} stores it in the socket's data around {@code SharedStreams.subscribe} and the upstream
 * takes it back.
 * (Events of one socket are handled one at a time, so there is never more than one pending.)
 */
public final class LogAdmissions {
    private static final String KEY = "switchboard.logs.admission";

    /** @param sinceTime RFC 3339 time (fixed-width, UTC) or null */
    public record Admission(int tail, String sinceTime) {
    }

    private LogAdmissions() {
    }

    /**
     * Subscribes the socket to a log topic with its own tail: the request is pending only while
     * {@code streams.subscribe} runs. A socket already subscribed to the topic gets nothing again.
     *
     * @return whether the socket is subscribed (false: it left before the stream was ready)
     */
    public static <T> boolean subscribe(SharedStreams<T> streams, Socket socket, T topic, int tail, String sinceTime)
            throws ProducerException {
        if (streams.isSubscribed(socket, topic)) {
            return true;
        }
        put(socket, tail, sinceTime);
        try {
            return streams.subscribe(socket, topic);
        } finally {
            take(socket, 0);
        }
    }

    private static void put(Socket socket, int tail, String sinceTime) {
        socket.data().put(KEY, new Admission(tail, sinceTime));
    }

    /** Removes and returns the pending request, or one with {@code defaultTail} when none is pending. */
    public static Admission take(Socket socket, int defaultTail) {
        Object value = socket.data().remove(KEY);
        return value instanceof Admission a ? a : new Admission(defaultTail, null);
    }
}
