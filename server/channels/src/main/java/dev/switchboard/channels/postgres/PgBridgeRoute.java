package dev.switchboard.channels.postgres;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One relay of the PostgreSQL bridge: each NOTIFY on {@code pgChannel} is emitted as {@code event} to
 * {@code namespace}/{@code room}. The room may name top-level fields of the JSON payload, e.g.
 * {@code agent:{agent_id}}. Spec syntax (PG_BRIDGE), comma-separated: {@code pgchannel:namespace:room:event}
 * (the room may itself contain ':').
 */
public record PgBridgeRoute(String pgChannel, String namespace, String roomTemplate, String event) {
    static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

    public PgBridgeRoute {
        if (pgChannel == null || !IDENTIFIER.matcher(pgChannel).matches()) {
            throw new IllegalArgumentException("PostgreSQL channel must be an identifier [A-Za-z_][A-Za-z0-9_$]{0,62}, got '" + pgChannel + "'");
        }
        if (namespace == null || !namespace.startsWith("/")) throw new IllegalArgumentException("namespace must start with '/', got '" + namespace + "'");
        if (roomTemplate == null || roomTemplate.isEmpty()) throw new IllegalArgumentException("room is empty");
        if (event == null || event.isEmpty()) throw new IllegalArgumentException("event is empty");
    }

    public static List<PgBridgeRoute> parse(String spec) {
        List<PgBridgeRoute> routes = new ArrayList<>();
        for (String entry : spec.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) continue;
            String[] parts = e.split(":", -1);
            if (parts.length < 4) {
                throw new IllegalArgumentException("bridge entry '" + e + "' must be pgchannel:namespace:room:event");
            }
            try {
                routes.add(new PgBridgeRoute(parts[0].trim(), parts[1].trim(),
                        String.join(":", Arrays.copyOfRange(parts, 2, parts.length - 1)).trim(), parts[parts.length - 1].trim()));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("bridge entry '" + e + "': " + ex.getMessage(), ex);
            }
        }
        if (routes.isEmpty()) throw new IllegalArgumentException("no bridge entry");
        return routes;
    }

    @Override
    public String toString() {
        return pgChannel + ":" + namespace + ":" + roomTemplate + ":" + event;
    }
}
