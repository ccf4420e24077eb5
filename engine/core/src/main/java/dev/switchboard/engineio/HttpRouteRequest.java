package dev.switchboard.engineio;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/** A plain HTTP request handed to an {@link HttpRoute}. Immutable. */
public interface HttpRouteRequest {
    /** Upper-case method, e.g. "GET". */
    String method();

    /** Decoded path without the query string. */
    String path();

    /** Decoded query parameters. */
    Map<String, List<String>> query();

    /** First value of a query parameter, or null. */
    default String queryParam(String name) {
        List<String> values = query().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** First value of a header (case-insensitive name), or null. */
    String header(String name);

    /** Every value of a header (case-insensitive name), in order; empty when absent. */
    List<String> headerValues(String name);

    InetSocketAddress remoteAddress();

    /** The client's IP address: the TCP peer, or what our reverse proxy forwarded (see {@link ClientAddress}). */
    default String clientAddress(ProxyTrust trustProxy) {
        return ClientAddress.of(remoteAddress(), this::headerValues, trustProxy);
    }

    /** The request body (empty when none). */
    byte[] body();
}
