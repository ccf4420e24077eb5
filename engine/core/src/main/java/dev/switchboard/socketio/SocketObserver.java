package dev.switchboard.socketio;

/**
 * Watches every namespace's sockets (the Admin UI uses it). Callbacks run on the thread that caused the
 * change (a worker or I/O thread): keep them short and never block. Exceptions are logged and ignored.
 */
public interface SocketObserver {

    /** A socket was admitted (or recovered) in its namespace. */
    default void connected(Socket socket) {
    }

    default void disconnected(Socket socket, String reason) {
    }

    default void joined(Namespace namespace, String room, String socketId) {
    }

    default void left(Namespace namespace, String room, String socketId) {
    }
}
