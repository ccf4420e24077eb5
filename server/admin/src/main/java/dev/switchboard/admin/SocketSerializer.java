package dev.switchboard.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.engineio.ProxyTrust;
import dev.switchboard.socketio.Handshake;
import dev.switchboard.socketio.Socket;

/**
 * A socket as the Admin UI lists it ({@code SerializedSocket} of @socket.io/admin-ui). Only a few harmless
 * headers are shown (never cookies or authorization); data values that cannot be serialized show as text. The
 * address is the one the server believes (the TCP peer, or what a trusted proxy forwarded), not the client's own
 * {@code X-Forwarded-For} as the Node admin UI shows it: a client must not choose what the operator sees.
 */
final class SocketSerializer {
    private static final List<String> HEADERS = List.of("host", "origin", "user-agent", "referer", "x-forwarded-for");
    private static final List<String> TRANSPORT_QUERY = List.of("EIO", "transport", "t", "sid", "j", "b64");

    private final ObjectMapper mapper;
    private final ProxyTrust trustProxy;

    SocketSerializer(ObjectMapper mapper, ProxyTrust trustProxy) {
        this.mapper = mapper;
        this.trustProxy = trustProxy;
    }

    Map<String, Object> serialize(Socket socket) {
        Handshake h = socket.handshake();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", socket.id());
        String connection = socket.connectionId();
        out.put("clientId", connection.length() > 12 ? connection.substring(0, 12) : connection);
        out.put("transport", socket.transport());
        out.put("nsp", socket.namespace().name());
        out.put("data", data(socket.data()));
        Map<String, Object> handshake = new LinkedHashMap<>();
        handshake.put("address", h.clientAddressInFull(trustProxy));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : HEADERS) {
            String value = h.header(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        handshake.put("headers", headers);
        Map<String, String> query = new LinkedHashMap<>();
        h.queryParams().forEach((name, values) -> {
            if (values != null && !values.isEmpty()) {
                query.put(name, values.get(0));
            }
        });
        handshake.put("query", query);
        handshake.put("issued", h.issued());
        handshake.put("secure", h.secure());
        handshake.put("time", Instant.ofEpochMilli(h.issued()).toString());
        handshake.put("url", "/socket.io/?" + String.join("&", query.keySet().stream()
                .filter(TRANSPORT_QUERY::contains).map(k -> k + "=" + query.get(k)).toList()));
        handshake.put("xdomain", h.header("origin") != null);
        out.put("handshake", handshake);
        out.put("rooms", new ArrayList<>(socket.rooms()));
        return out;
    }

    private Map<String, Object> data(Map<String, Object> data) {
        Map<String, Object> out = new LinkedHashMap<>();
        data.forEach((key, value) -> {
            try {
                JsonNode tree = mapper.valueToTree(value);
                out.put(key, tree);
            } catch (IllegalArgumentException e) {
                out.put(key, String.valueOf(value));
            }
        });
        return out;
    }
}
