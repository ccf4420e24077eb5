package dev.switchboard.socketio.parser;

/** The peer sent something that is not a valid Socket.IO packet; the connection must be closed ("parse error"). */
public final class PacketParseException extends Exception {
    public PacketParseException(String message) {
        super(message, null, false, false);
    }
}
