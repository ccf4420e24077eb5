package dev.switchboard.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.msgpack.core.MessageBufferPacker;

import dev.switchboard.socketio.BroadcastOptions;
import dev.switchboard.socketio.BroadcastPacket;
import dev.switchboard.socketio.parser.MsgpackValues;

/**
 * A broadcast between nodes, in the layout of @socket.io/redis-adapter and -emitter:
 * MessagePack {@code [uid, {type: 2, data: [event, ...args], nsp}, {rooms: [...], except: [...], flags: {...}}]}.
 */
record BroadcastMessage(String uid, String nsp, String event, List<Object> args, Set<String> rooms,
                        Set<String> except, boolean droppable) {

    private static final int EVENT = 2;
    private static final int BINARY_EVENT = 5;

    static byte[] encode(String uid, BroadcastPacket packet, BroadcastOptions options, ObjectMapper mapper) {
        try (MessageBufferPacker out = MsgPack.packer()) {
            out.packArrayHeader(3);
            out.packString(uid);
            out.packMapHeader(3);
            out.packString("type");
            out.packInt(EVENT);
            out.packString("data");
            out.packArrayHeader(packet.payload().size() + 1);
            out.packString(packet.event());
            for (Object arg : packet.payload()) { // an offset is this node's own: never sent to others
                MsgpackValues.write(out, mapper.valueToTree(arg), mapper);
            }
            out.packString("nsp");
            out.packString(packet.namespace());
            out.packMapHeader(3);
            out.packString("rooms");
            MsgPack.writeStrings(out, options.rooms(), options.rooms().size());
            out.packString("except");
            MsgPack.writeStrings(out, options.except(), options.except().size());
            out.packString("flags");
            if (options.droppable()) {
                out.packMapHeader(1);
                out.packString("volatile");
                out.packBoolean(true);
            } else {
                out.packMapHeader(0);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BroadcastMessage decode(byte[] bytes) throws MalformedMessageException {
        if (!(MsgPack.decode(bytes) instanceof List<?> top) || top.size() < 2) {
            throw new MalformedMessageException("expected a MessagePack array [uid, packet, opts]");
        }
        String uid = top.get(0) == null ? null : String.valueOf(top.get(0));
        return of(uid, top.get(1), top.size() > 2 ? top.get(2) : null, "/");
    }

    /**
     * From the decoded parts (MessagePack or JSON values): the packet {@code {type, data: [event, ...args], nsp}}
     * and the options {@code {rooms, except, flags}} (null: none). Also the layout inside a sharded-adapter message,
     * whose packet may lack {@code nsp} (Node's ClusterAdapter publishes it before the namespace is set on it).
     *
     * @param defaultNsp the namespace when the packet names none
     */
    static BroadcastMessage of(String uid, Object packetValue, Object optsValue, String defaultNsp)
            throws MalformedMessageException {
        if (!(packetValue instanceof Map<?, ?> packet)) {
            throw new MalformedMessageException("packet is not a map");
        }
        Object type = packet.get("type");
        if (!(type instanceof Long || type instanceof Integer) || (((Number) type).longValue() != EVENT
                && ((Number) type).longValue() != BINARY_EVENT)) {
            throw new MalformedMessageException("packet type " + type + " is not EVENT (2) or BINARY_EVENT (5)");
        }
        Object nspValue = packet.get("nsp");
        String nsp = nspValue == null ? defaultNsp : String.valueOf(nspValue);
        if (!(packet.get("data") instanceof List<?> data) || data.isEmpty() || !(data.get(0) instanceof String event)) {
            throw new MalformedMessageException("packet data must be [event name, ...args]");
        }
        Map<?, ?> opts = optsValue instanceof Map<?, ?> m ? m : Map.of();
        boolean droppable = opts.get("flags") instanceof Map<?, ?> flags && Boolean.TRUE.equals(flags.get("volatile"));
        return new BroadcastMessage(uid, nsp, event, new ArrayList<>(data.subList(1, data.size())),
                roomSet(opts.get("rooms"), "rooms"), roomSet(opts.get("except"), "except"), droppable);
    }

    /** Rooms may be strings or numbers (Node allows numeric rooms); Sets arrive as arrays. */
    private static Set<String> roomSet(Object value, String name) throws MalformedMessageException {
        if (value == null) {
            return Set.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new MalformedMessageException(name + " is not an array");
        }
        Set<String> rooms = new HashSet<>(list.size() * 2);
        for (Object room : list) {
            if (!(room instanceof String) && !(room instanceof Number)) {
                throw new MalformedMessageException(name + " holds a " + (room == null ? "null" : "non-string") + " room");
            }
            rooms.add(String.valueOf(room));
        }
        return rooms;
    }

    BroadcastPacket packet() {
        return new BroadcastPacket(nsp, event, args);
    }

    /** Options for delivering it on this node only. */
    BroadcastOptions localOptions() {
        return new BroadcastOptions(rooms, except, droppable, true);
    }
}
