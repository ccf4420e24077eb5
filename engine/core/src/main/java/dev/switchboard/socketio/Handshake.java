package dev.switchboard.socketio;

import dev.switchboard.engineio.ClientAddress;
import dev.switchboard.engineio.ProxyTrust;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** What a socket presented when it connected: the Engine.IO request plus the CONNECT packet's auth. */
public interface Handshake {

    /** First value of a query parameter of the Engine.IO handshake (e.g. threadId, userId), or null. */
    String query(String name);

    Map<String, List<String>> queryParams();

    /** First value of a request header (case-insensitive), or null. */
    String header(String name);

    /** Every value of a request header (case-insensitive), in order; empty when absent. */
    default List<String> headerValues(String name) {
        String value = header(name);
        return value == null ? List.of() : List.of(value);
    }

    /** The CONNECT packet's auth payload; a MissingNode when the client sent none. */
    JsonNode auth();

    InetSocketAddress address();

    /** The client's IP address: the TCP peer, or what our reverse proxy forwarded (see {@link ClientAddress}). */
    default String clientAddress(ProxyTrust trustProxy) {
        return ClientAddress.of(address(), this::headerValues, trustProxy);
    }

    /** The same address in full (IPv6 not cut to its /64), as an operator is shown it. */
    default String clientAddressInFull(ProxyTrust trustProxy) {
        return ClientAddress.inFull(address(), this::headerValues, trustProxy);
    }

    boolean secure();

    /** Milliseconds since the epoch when the Engine.IO session was opened. */
    long issued();
}
