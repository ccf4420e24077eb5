package dev.switchboard.app.compat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.DriverJson;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;

/** The Java client {@code io.socket:socket.io-client}: one {@link Manager}, one {@link Socket} per namespace. */
final class JavaCompatClient implements CompatClient {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Duration CONNECT = Duration.ofSeconds(10);

    private final Map<String, Socket> sockets = new LinkedHashMap<>();
    private final Map<String, List<ArrayNode>> received = new LinkedHashMap<>(); // "ns event" -> args arrays

    @Override
    public void connect(String url, List<String> namespaces, Transport transport, Map<String, List<String>> events) {
        IO.Options options = new IO.Options();
        options.reconnection = false;
        options.timeout = CONNECT.toMillis();
        if (transport.names() != null) {
            options.transports = transport.names().toArray(String[]::new);
        }
        Manager manager = new Manager(URI.create(url), options);
        List<CompletableFuture<Object>> connected = new ArrayList<>();
        for (String namespace : namespaces) {
            Socket socket = manager.socket(namespace);
            CompletableFuture<Object> done = new CompletableFuture<>();
            socket.on(Socket.EVENT_CONNECT, args -> done.complete(null));
            socket.on(Socket.EVENT_CONNECT_ERROR, args -> done.completeExceptionally(
                    new AssertionError("connect_error on " + namespace + ": " + (args.length > 0 ? args[0] : ""))));
            socket.onAnyIncoming(args -> record(namespace, args));
            sockets.put(namespace, socket);
            connected.add(done);
            socket.connect();
        }
        for (CompletableFuture<Object> done : connected) {
            try {
                done.get(CONNECT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new AssertionError("Java client did not connect: " + e, e);
            }
        }
    }

    private void record(String namespace, Object[] args) {
        ArrayNode rest = NODES.arrayNode();
        for (int i = 1; i < args.length; i++) {
            rest.add(toJson(args[i]));
        }
        synchronized (received) {
            received.computeIfAbsent(namespace + " " + args[0], k -> new ArrayList<>()).add(rest);
        }
    }

    @Override
    public JsonNode awaitEvent(String namespace, String name, Duration timeout) {
        return Await.value(() -> {
            synchronized (received) {
                List<ArrayNode> list = received.get(namespace + " " + name);
                return list == null ? null : list.get(0);
            }
        }, timeout, "Java client event '" + name + "' on " + namespace);
    }

    @Override
    public ArrayNode call(String namespace, String event, Duration timeout, JsonNode... args) {
        CompletableFuture<ArrayNode> ack = new CompletableFuture<>();
        Object[] all = new Object[args.length + 1];
        for (int i = 0; i < args.length; i++) {
            all[i] = fromJson(args[i]);
        }
        all[args.length] = (Ack) ackArgs -> {
            ArrayNode list = NODES.arrayNode();
            for (Object a : ackArgs) {
                list.add(toJson(a));
            }
            ack.complete(list);
        };
        sockets.get(namespace).emit(event, all);
        try {
            return ack.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("no ack for '" + event + "' on " + namespace + " within " + timeout.toMillis() + " ms", e);
        }
    }

    @Override
    public void disconnect() {
        sockets.values().forEach(Socket::disconnect);
    }

    @Override
    public void close() {
        disconnect();
    }

    /** JSON tree (with {@code $binary} placeholders) to what the Java client sends: org.json values and byte[]. */
    static Object fromJson(JsonNode node) {
        if (DriverJson.isBinary(node)) {
            return DriverJson.bytes(node);
        }
        try {
            if (node.isObject()) {
                JSONObject object = new JSONObject();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    object.put(field.getKey(), fromJson(field.getValue()));
                }
                return object;
            }
            if (node.isArray()) {
                JSONArray array = new JSONArray();
                node.forEach(item -> array.put(fromJson(item)));
                return array;
            }
        } catch (JSONException e) {
            throw new IllegalArgumentException(e);
        }
        if (node.isNull()) {
            return JSONObject.NULL;
        }
        return node.isTextual() ? node.textValue() : node.isBoolean() ? node.booleanValue() : node.numberValue();
    }

    /** What the Java client received, back to a JSON tree. */
    static JsonNode toJson(Object value) {
        if (value == null || value == JSONObject.NULL) {
            return NODES.nullNode();
        }
        if (value instanceof byte[] bytes) {
            return DriverJson.binary(bytes);
        }
        if (value instanceof JSONObject object) {
            ObjectNode node = NODES.objectNode();
            for (Iterator<String> keys = object.keys(); keys.hasNext(); ) {
                String key = keys.next();
                node.set(key, toJson(object.opt(key)));
            }
            return node;
        }
        if (value instanceof JSONArray array) {
            ArrayNode node = NODES.arrayNode();
            for (int i = 0; i < array.length(); i++) {
                node.add(toJson(array.opt(i)));
            }
            return node;
        }
        return DriverJson.mapper().valueToTree(value);
    }
}
