package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An event the server emitted to a {@link NodeSocket}. {@code args} is the JSON array of its arguments
 * (binary as {@code {"$binary": base64}}); {@code ackId} is non-null when the server asked for an ack,
 * which {@link #ack(Object...)} answers. {@code receivedAtMillis} is the driver's clock (epoch ms).
 */
public record ServerEvent(NodeSocket socket, String name, JsonNode args, Long ackId, long receivedAtMillis) {

    public JsonNode arg(int index) {
        return args.path(index);
    }

    public boolean wantsAck() {
        return ackId != null;
    }

    /** Answers the server's ack request with these args. */
    public void ack(Object... ackArgs) {
        if (ackId == null) {
            throw new IllegalStateException("server did not ask for an ack on '" + name + "'");
        }
        socket.answerServerAck(ackId, DriverJson.args(ackArgs));
    }
}
