package dev.switchboard.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.msgpack.core.MessageBufferPacker;

import dev.switchboard.socketio.parser.MsgpackValues;

/**
 * A message of socket.io-adapter's ClusterAdapter, which @socket.io/redis-adapter's {@code createShardedAdapter}
 * sends with SPUBLISH: {@code {uid, nsp, type, data}}, JSON unless it carries binary, then MessagePack
 * (notepack.io) of the same object. Types are ClusterAdapter's {@code MessageType} numbers.
 *
 * @param data the decoded {@code data} object (maps, lists, strings, numbers, byte[]); empty when absent
 */
record ClusterMessage(String uid, String nsp, int type, Map<?, ?> data) {
    static final int BROADCAST = 3;
    static final int SOCKETS_JOIN = 4;
    static final int SOCKETS_LEAVE = 5;
    static final int DISCONNECT_SOCKETS = 6;
    static final int FETCH_SOCKETS = 7;
    static final int FETCH_SOCKETS_RESPONSE = 8;
    static final int SERVER_SIDE_EMIT = 9;
    static final int SERVER_SIDE_EMIT_RESPONSE = 10;
    static final int BROADCAST_CLIENT_COUNT = 11;
    static final int BROADCAST_ACK = 12;

    static ClusterMessage decode(byte[] bytes, ObjectMapper mapper) throws MalformedMessageException {
        if (bytes.length == 0) {
            throw new MalformedMessageException("empty message");
        }
        Object value;
        if (bytes[0] == '{') {
            try {
                value = mapper.readValue(bytes, Object.class);
            } catch (IOException e) {
                throw new MalformedMessageException("message is not valid JSON");
            }
        } else {
            value = MsgPack.decode(bytes);
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new MalformedMessageException("message is not an object");
        }
        if (!(map.get("type") instanceof Number type)) {
            throw new MalformedMessageException("message has no numeric type");
        }
        Object data = map.get("data");
        if (data != null && !(data instanceof Map<?, ?>)) {
            throw new MalformedMessageException("message data is not an object");
        }
        return new ClusterMessage(map.get("uid") == null ? null : String.valueOf(map.get("uid")),
                map.get("nsp") == null ? null : String.valueOf(map.get("nsp")), type.intValue(),
                data == null ? Map.of() : (Map<?, ?>) data);
    }

    /** {@code {uid, nsp, type, data}} as the Node adapter encodes it: MessagePack when {@code data} holds binary. */
    static byte[] encode(String uid, String nsp, int type, JsonNode data, ObjectMapper mapper) {
        ObjectNode message = mapper.createObjectNode().put("uid", uid).put("nsp", nsp).put("type", type);
        message.set("data", data);
        try {
            if (!hasBinary(data)) {
                return mapper.writeValueAsBytes(message);
            }
            try (MessageBufferPacker out = MsgPack.packer()) {
                MsgpackValues.write(out, message, mapper);
                return out.toByteArray();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean hasBinary(JsonNode node) {
        if (node == null) {
            return false;
        }
        if (node.isBinary()) {
            return true;
        }
        for (JsonNode child : node) {
            if (hasBinary(child)) {
                return true;
            }
        }
        return false;
    }

    Object field(String name) {
        return data.get(name);
    }

    boolean has(String name) {
        return data.get(name) != null;
    }
}
