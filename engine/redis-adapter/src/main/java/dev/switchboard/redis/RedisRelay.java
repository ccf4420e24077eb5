package dev.switchboard.redis;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.socketio.BroadcastOptions;
import dev.switchboard.socketio.BroadcastPacket;
import dev.switchboard.socketio.BroadcastTarget;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.ReservedEvents;
import dev.switchboard.socketio.SocketIoServer;

/**
 * Relays JSON messages {@code {"namespace": "/mcp", "room": "thread-1", "event": "update", "data": {...}}}
 * published on a Redis pub/sub channel to the sockets of this node: every node is subscribed, so each
 * delivers to its own sockets (no re-publishing, no duplicates). {@code room} is optional (whole namespace);
 * {@code data} is the event's single argument (absent: no argument). Only declared namespaces are reached.
 * A bad message is dropped and logged (at most once a second) and counted in {@link #rejected()}.
 */
public final class RedisRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisRelay.class);

    private final RedisCluster cluster;
    private final String channel;
    private final SocketIoServer io;
    private final ObjectMapper mapper;
    private final RejectLog rejects;

    RedisRelay(RedisCluster cluster, String channel, SocketIoServer io) {
        this.cluster = cluster;
        this.channel = channel;
        this.io = io;
        this.mapper = cluster.mapper();
        this.rejects = new RejectLog(log, "redis_relay_rejected", channel);
        cluster.subscribe(channel, this::onMessage);
        log.info("event=redis_relay_started channel={}", channel);
    }

    public String channel() {
        return channel;
    }

    /** Messages dropped as invalid since start. */
    public long rejected() {
        return rejects.count();
    }

    void onMessage(byte[] message) {
        JsonNode node;
        try {
            node = mapper.readTree(message);
        } catch (IOException e) {
            rejects.reject(channel, "not JSON");
            return;
        }
        if (node == null || !node.isObject()) {
            rejects.reject(channel, "not a JSON object");
            return;
        }
        JsonNode ns = node.get("namespace");
        JsonNode event = node.get("event");
        JsonNode room = node.get("room");
        if (ns == null || !ns.isTextual() || !ns.textValue().startsWith("/")) {
            rejects.reject(channel, "namespace must be a string starting with /");
            return;
        }
        if (event == null || !event.isTextual() || event.textValue().isEmpty()) {
            rejects.reject(channel, "event must be a non-empty string");
            return;
        }
        if (ReservedEvents.isReserved(event.textValue())) {
            rejects.reject(channel, "event " + event.textValue() + " is reserved");
            return;
        }
        if (room != null && !room.isNull() && !room.isTextual()) {
            rejects.reject(channel, "room must be a string");
            return;
        }
        Namespace namespace = find(ns.textValue());
        if (namespace == null) {
            rejects.reject(channel, "unknown namespace " + ns.textValue());
            return;
        }
        JsonNode data = node.get("data");
        List<Object> args = data == null ? List.of() : java.util.Collections.singletonList(data);
        Set<String> rooms = room == null || room.isNull() || room.textValue().isEmpty() ? Set.of() : Set.of(room.textValue());
        BroadcastPacket packet = new BroadcastPacket(namespace.name(), event.textValue(), args);
        BroadcastOptions options = new BroadcastOptions(rooms, Set.of(), false, true);
        if (namespace instanceof BroadcastTarget target) {
            target.receiveRemote(packet, options); // through the namespace: offset, history and recovery record it
        } else {
            namespace.adapter().broadcast(packet, options);
        }
    }

    private Namespace find(String name) {
        for (Namespace n : io.namespaces()) {
            if (n.name().equals(name)) {
                return n;
            }
        }
        return null;
    }

    @Override
    public void close() {
        cluster.unsubscribe(channel);
    }
}
