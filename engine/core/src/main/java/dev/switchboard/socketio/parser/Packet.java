package dev.switchboard.socketio.parser;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A decoded Socket.IO packet. {@code data} is the JSON payload with binary attachments already put back
 * where their placeholders were (as {@link com.fasterxml.jackson.databind.node.BinaryNode}); null when the
 * packet had none. Binary packets are reported with their non-binary type (BINARY_EVENT as EVENT).
 */
public record Packet(PacketType type, String namespace, long ackId, JsonNode data) {

    public static final long NO_ACK = -1;

    public boolean hasAckId() {
        return ackId >= 0;
    }
}
