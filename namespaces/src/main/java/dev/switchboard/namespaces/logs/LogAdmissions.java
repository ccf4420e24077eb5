package dev.switchboard.namespaces.logs;

import dev.switchboard.socketio.Socket;

/**
 * Hands a subscriber's own tail request to {@code Upstream.admit}, which only receives the socket: the handler
 * stores it in the socket's data right before {@code SharedStreams.subscribe} and the upstream takes it back.
 * (Events of one socket are handled one at a time, so there is never more than one pending.)
 */
public final class LogAdmissions {
    private static final String KEY = "switchboard.logs.admission";

    /** @param sinceTime RFC 3339 time (fixed-width, UTC) or null */
    public record Admission(int tail, String sinceTime) {
    }

    private LogAdmissions() {
    }

    public static void put(Socket socket, int tail, String sinceTime) {
        socket.data().put(KEY, new Admission(tail, sinceTime));
    }

    /** Removes and returns the pending request, or one with {@code defaultTail} when none is pending. */
    public static Admission take(Socket socket, int defaultTail) {
        Object value = socket.data().remove(KEY);
        return value instanceof Admission a ? a : new Admission(defaultTail, null);
    }
}
