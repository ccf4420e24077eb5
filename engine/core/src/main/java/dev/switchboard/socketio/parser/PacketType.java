package dev.switchboard.socketio.parser;

/** Socket.IO v5 packet types; the ordinal is the wire digit. */
public enum PacketType {
    CONNECT,
    DISCONNECT,
    EVENT,
    ACK,
    CONNECT_ERROR,
    BINARY_EVENT,
    BINARY_ACK;

    private static final PacketType[] BY_DIGIT = values();

    public char digit() {
        return (char) ('0' + ordinal());
    }

    public boolean isBinary() {
        return this == BINARY_EVENT || this == BINARY_ACK;
    }

    /** The type of a packet once its attachments are known: EVENT/ACK become BINARY_* when there are some. */
    PacketType withAttachments(boolean any) {
        if (!any) {
            return this;
        }
        return switch (this) {
            case EVENT -> BINARY_EVENT;
            case ACK -> BINARY_ACK;
            default -> this;
        };
    }

    /** The type for a wire digit, or null. */
    static PacketType ofDigit(char c) {
        int i = c - '0';
        return i >= 0 && i < BY_DIGIT.length ? BY_DIGIT[i] : null;
    }
}
