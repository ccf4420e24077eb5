package dev.switchboard.socketio;

/**
 * Runs for each CONNECT to a namespace before the socket is admitted. Throwing {@link ConnectError}
 * answers CONNECT_ERROR; a refused socket never joins a room, never receives a broadcast and holds nothing.
 * Runs on a worker thread, so it may block briefly (e.g. verify a token).
 */
@FunctionalInterface
public interface ConnectMiddleware {
    void check(Socket socket) throws ConnectError;
}
