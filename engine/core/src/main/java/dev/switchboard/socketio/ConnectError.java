package dev.switchboard.socketio;

/** Refuses a CONNECT; sent to the client as CONNECT_ERROR {@code {"message": ..., "data": ...}}. */
public class ConnectError extends Exception {
    private final transient Object data;

    public ConnectError(String message) {
        this(message, null);
    }

    public ConnectError(String message, Object data) {
        super(message, null, false, false);
        this.data = data;
    }

    /** Optional extra details (serialized with Jackson); null when none. */
    public Object data() {
        return data;
    }
}
