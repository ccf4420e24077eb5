package dev.switchboard.engineio;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/** What the handshake request carried. Immutable. */
public record EngineRequest(
        String uri,
        Map<String, List<String>> query,
        Map<String, List<String>> headers,
        InetSocketAddress remoteAddress,
        boolean secure,
        long time) {

    /** First value of a query parameter, or null. */
    public String queryParam(String name) {
        if (query instanceof CompactMultiMap compact) {
            return compact.first(name);
        }
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Every value of a header (lower-case name), in order; empty when absent. */
    public List<String> headerValues(String lowerCaseName) {
        List<String> values = headers.get(lowerCaseName);
        return values == null ? List.of() : values;
    }

    /** First value of a header (lower-case name), or null. */
    public String header(String lowerCaseName) {
        if (headers instanceof CompactMultiMap compact) {
            return compact.first(lowerCaseName);
        }
        List<String> values = headers.get(lowerCaseName);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
