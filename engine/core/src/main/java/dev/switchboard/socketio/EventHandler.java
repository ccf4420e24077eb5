package dev.switchboard.socketio;

/** Handles one received event. Exceptions are logged and never close the connection. */
@FunctionalInterface
public interface EventHandler {
    void handle(Event event) throws Exception;
}
