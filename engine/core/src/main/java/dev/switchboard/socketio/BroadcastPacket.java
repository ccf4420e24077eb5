package dev.switchboard.socketio;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An EVENT to broadcast in one namespace, not yet encoded. Arguments are any Jackson-serializable values
 * (byte[] become attachments). Immutable.
 */
public record BroadcastPacket(String namespace, String event, List<Object> args, String offset) {

    public BroadcastPacket {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(event, "event");
        args = Collections.unmodifiableList(new ArrayList<>(args)); // null elements allowed (JSON null)
    }

    /** A packet without an offset. */
    public BroadcastPacket(String namespace, String event, List<Object> args) {
        this(namespace, event, args, null);
    }

    public static BroadcastPacket of(String namespace, String event, Object... args) {
        return new BroadcastPacket(namespace, event, java.util.Arrays.asList(args));
    }

    /**
     * The same packet carrying its connection-state-recovery offset, appended as its last argument on the wire
     * (Node's session-aware adapter does the same). {@link #payload()} still gives the emitter's own arguments.
     */
    public BroadcastPacket withOffset(String offset) {
        List<Object> more = new ArrayList<>(args.size() + 1);
        more.addAll(args);
        more.add(Objects.requireNonNull(offset, "offset"));
        return new BroadcastPacket(namespace, event, more, offset);
    }

    /** The arguments as the emitter gave them: {@link #args()} without the appended offset, if any. */
    public List<Object> payload() {
        return offset == null ? args : args.subList(0, args.size() - 1);
    }
}
