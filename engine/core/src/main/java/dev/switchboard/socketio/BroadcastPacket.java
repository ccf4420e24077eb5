package dev.switchboard.socketio;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An EVENT to broadcast in one namespace. Arguments are any Jackson-serializable values (byte[] become
 * attachments). Immutable. A namespace that records its broadcasts (recovery, history) encodes the packet before
 * its adapter sees it; the packet then carries that encoding to the adapter ({@link #encoding()}), so it is made
 * once. Equality is on namespace, event, arguments and offset.
 */
public final class BroadcastPacket {
    private final String namespace;
    private final String event;
    private final List<Object> args;
    private final String offset;
    private final EncodedBroadcast encoding; // null: not encoded yet

    public BroadcastPacket(String namespace, String event, List<Object> args, String offset) {
        this(namespace, event, Collections.unmodifiableList(new ArrayList<>(args)), offset, null); // null elements allowed (JSON null)
    }

    /** A packet without an offset. */
    public BroadcastPacket(String namespace, String event, List<Object> args) {
        this(namespace, event, args, null);
    }

    private BroadcastPacket(String namespace, String event, List<Object> args, String offset, EncodedBroadcast encoding) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.event = Objects.requireNonNull(event, "event");
        this.args = args;
        this.offset = offset;
        this.encoding = encoding;
    }

    public static BroadcastPacket of(String namespace, String event, Object... args) {
        return new BroadcastPacket(namespace, event, java.util.Arrays.asList(args));
    }

    public String namespace() {
        return namespace;
    }

    public String event() {
        return event;
    }

    /** The arguments on the wire: the emitter's, then the offset when there is one. */
    public List<Object> args() {
        return args;
    }

    /** The connection-state-recovery offset, or null. */
    public String offset() {
        return offset;
    }

    /**
     * The same packet carrying its connection-state-recovery offset, appended as its last argument on the wire
     * (Node's session-aware adapter does the same). {@link #payload()} still gives the emitter's own arguments.
     */
    public BroadcastPacket withOffset(String offset) {
        List<Object> more = new ArrayList<>(args.size() + 1);
        more.addAll(args);
        more.add(Objects.requireNonNull(offset, "offset"));
        return new BroadcastPacket(namespace, event, Collections.unmodifiableList(more), offset, null); // no 2nd copy
    }

    /** The arguments as the emitter gave them: {@link #args()} without the appended offset, if any. */
    public List<Object> payload() {
        return offset == null ? args : args.subList(0, args.size() - 1);
    }

    /** The same packet carrying its encoding to the adapter. */
    BroadcastPacket withEncoding(EncodedBroadcast encoding) {
        return new BroadcastPacket(namespace, event, args, offset, Objects.requireNonNull(encoding, "encoding"));
    }

    /** The encoding its namespace already made, or null. */
    EncodedBroadcast encoding() {
        return encoding;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BroadcastPacket p && namespace.equals(p.namespace) && event.equals(p.event)
                && args.equals(p.args) && Objects.equals(offset, p.offset);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, event, args, offset);
    }

    @Override
    public String toString() {
        return "BroadcastPacket[namespace=" + namespace + ", event=" + event + ", args=" + args + ", offset=" + offset + "]";
    }
}
