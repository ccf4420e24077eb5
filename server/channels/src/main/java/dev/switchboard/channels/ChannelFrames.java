package dev.switchboard.channels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Encodes the server → client messages of the channel protocol (UTF-8 JSON bytes, one message per frame). */
final class ChannelFrames {
    private final ObjectMapper mapper;

    ChannelFrames(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** {@code {channel, event, data, timestamp}}; data is any Jackson-serializable value (JsonNode, Map, ...). */
    byte[] event(String channel, String event, Object data, long timestamp) {
        ObjectNode node = mapper.createObjectNode();
        node.put("channel", channel);
        node.put("event", event);
        node.set("data", data instanceof JsonNode json ? json : mapper.valueToTree(data));
        node.put("timestamp", timestamp);
        return bytes(node);
    }

    byte[] connected(String clientId) {
        return bytes(mapper.createObjectNode().put("type", "connected").put("client_id", clientId));
    }

    byte[] ack(JsonNode id, boolean success) {
        ObjectNode node = mapper.createObjectNode().put("type", "ack");
        node.set("id", id);
        return bytes(node.put("success", success));
    }

    byte[] pong(JsonNode id) {
        ObjectNode node = mapper.createObjectNode().put("type", "pong");
        if (id != null) node.set("id", id);
        return bytes(node);
    }

    byte[] error(ChannelError code, String message, JsonNode id) {
        ObjectNode node = mapper.createObjectNode().put("error", message).put("code", code.name());
        if (id != null) node.set("id", id);
        return bytes(node);
    }

    private byte[] bytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + node.getNodeType(), e);
        }
    }
}
