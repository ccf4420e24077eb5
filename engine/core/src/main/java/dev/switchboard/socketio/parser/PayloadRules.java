package dev.switchboard.socketio.parser;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.socketio.ReservedEvents;

/** What each packet type may carry, whatever the parser (as Node's socket.io-parser checks it). */
final class PayloadRules {
    /** The largest ack id: 15 digits (the default parser counts them), below 2^53 so a JS number holds it exactly. */
    static final long MAX_ACK_ID = 999_999_999_999_999L;

    private PayloadRules() {
    }

    /** {@code data}: null when the packet has none. EVENT needs a non-reserved event name first. */
    static boolean isValid(PacketType type, JsonNode data) {
        return switch (type) {
            case CONNECT -> data == null || data.isObject();
            case DISCONNECT -> data == null;
            case CONNECT_ERROR -> data != null && (data.isTextual() || data.isObject());
            case EVENT, BINARY_EVENT -> data != null && data.isArray() && data.size() > 0
                    && (data.get(0).isNumber()
                        || (data.get(0).isTextual() && !ReservedEvents.isReserved(data.get(0).textValue())));
            case ACK, BINARY_ACK -> data != null && data.isArray();
        };
    }
}
