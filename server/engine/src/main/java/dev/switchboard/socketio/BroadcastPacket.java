package dev.switchboard.socketio;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An EVENT to broadcast in one namespace, not yet encoded. Arguments are any Jackson-serializable values
 * (byte[] become attachments). Immutable.
 */
public record BroadcastPacket(String namespace, String event, List<Object> args) {

    public BroadcastPacket {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(event, "event");
        args = Collections.unmodifiableList(new ArrayList<>(args)); // null elements allowed (JSON null)
    }

    public static BroadcastPacket of(String namespace, String event, Object... args) {
        return new BroadcastPacket(namespace, event, java.util.Arrays.asList(args));
    }

    /**
     * The same packet with one more trailing argument: the hook connection-state recovery uses to append
     * the packet's offset (Node's session-aware adapter does the same) before encoding it.
     */
    public BroadcastPacket withArgument(Object extra) {
        List<Object> more = new ArrayList<>(args.size() + 1);
        more.addAll(args);
        more.add(extra);
        return new BroadcastPacket(namespace, event, more);
    }
}
