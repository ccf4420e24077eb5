package dev.switchboard.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.namespaces.core.NamespaceContext;
import dev.switchboard.namespaces.core.RunningNamespace;
import dev.switchboard.namespaces.core.SwitchboardNamespace;

/**
 * A small namespace for the app's tests: says {@code connected}, answers {@code ping} with {@code pong},
 * {@code join} puts the socket in a room, {@code whoami} acks what the handshake and the app gave the socket,
 * {@code echo} sends its arguments back as an {@code echoed} event and as the ack (binary as binary).
 */
public final class EchoNamespace implements SwitchboardNamespace, RunningNamespace {
    private final String name;
    private final AtomicInteger handledPings = new AtomicInteger();
    volatile boolean closed;

    public EchoNamespace(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RunningNamespace install(NamespaceContext context) {
        context.namespace().onConnection(socket -> {
            socket.emit("connected", Map.of("namespace", name, "socketId", socket.id()));
            socket.on("ping", event -> {
                handledPings.incrementAndGet();
                socket.emit("pong", event.arg(0));
                event.ack("pong");
            });
            socket.on("echo", event -> {
                Object[] args = event.args().stream().map(EchoNamespace::plain).toArray();
                socket.emit("echoed", args);
                event.ack(args);
            });
            socket.on("join", event -> {
                socket.join(event.arg(0).asText());
                event.ack(true);
            });
            socket.on("whoami", event -> {
                Map<String, Object> me = new LinkedHashMap<>();
                me.put("userId", socket.handshake().query("userId"));
                me.put("threadId", socket.handshake().query("threadId"));
                me.put("dataUserId", socket.data().get("userId"));
                me.put("rooms", new ArrayList<>(socket.rooms()));
                event.ack(me);
            });
        });
        return this;
    }

    /** An argument as received, to send back: binary attachments as bytes, anything else as its JSON tree. */
    private static Object plain(JsonNode arg) {
        try {
            return arg.isBinary() ? arg.binaryValue() : arg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many {@code ping} events reached the handler (past the app's rate limit). */
    public int handledPings() {
        return handledPings.get();
    }

    @Override
    public int activeStreams() {
        return 0;
    }

    @Override
    public void close() {
        closed = true;
    }

    public static List<SwitchboardNamespace> of(String... names) {
        List<SwitchboardNamespace> list = new ArrayList<>();
        for (String n : names) {
            list.add(new EchoNamespace(n));
        }
        return list;
    }
}
