package dev.switchboard.socketio;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A received EVENT / BINARY_EVENT. Arguments are Jackson trees; binary attachments appear as
 * {@link com.fasterxml.jackson.databind.node.BinaryNode} where the client put its placeholders.
 */
public interface Event {

    Socket socket();

    String name();

    List<JsonNode> args();

    /** Argument {@code index}, or a MissingNode when absent (never null). */
    JsonNode arg(int index);

    /** Whether the client asked for an acknowledgement. */
    boolean wantsAck();

    /** Sends the ACK (at most once; later calls are ignored). Arguments as for {@link Socket#emit}. */
    void ack(Object... args);
}
