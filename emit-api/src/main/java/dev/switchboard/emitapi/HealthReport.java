package dev.switchboard.emitapi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.switchboard.socketio.Namespace;

/** Builds the bodies of {@code GET /health} (API port and public port) and {@code GET /stats}. */
public final class HealthReport {
    /** Rooms listed per namespace in /stats; beyond this only the count is given. */
    static final int MAX_ROOMS_LISTED = 1000;

    private final ServerView view;
    private final SwitchboardMetrics metrics;
    private final String version;
    private final long startedNanos = System.nanoTime();
    /** /health is public (the Socket.IO port answers it too): its sections say counts and states, never names. */
    private record Section(Supplier<Object> summary, Supplier<Object> details) {
    }

    private final Map<String, Section> sections = new ConcurrentHashMap<>();

    public HealthReport(ServerView view, SwitchboardMetrics metrics, String version) {
        this.view = view;
        this.metrics = metrics;
        this.version = version;
    }

    /**
     * One more top-level entry of /health and /stats (e.g. plain channels, the PostgreSQL bridge): {@code summary}
     * for the public /health (counts and states only), {@code details} for /stats, which needs the API token.
     */
    public HealthReport section(String name, Supplier<Object> summary, Supplier<Object> details) {
        sections.put(name, new Section(summary, details));
        return this;
    }

    public ServerStatus status() {
        return view.status();
    }

    /**
     * {@code {success, status, connections: {"ns": n}, activeStreams, uptime, version, ...sections}}, uptime in
     * seconds: the shape monitors parse, these keys first; namespaces named without their slash.
     */
    public Map<String, Object> health() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("status", view.status().label());
        body.put("connections", withoutSlash(view.connections()));
        body.put("activeStreams", view.activeStreams());
        body.put("uptime", uptimeSeconds());
        body.put("version", version);
        sections.forEach((name, section) -> body.put(name, section.summary().get()));
        return body;
    }

    private static Map<String, Integer> withoutSlash(Map<String, Integer> connections) {
        Map<String, Integer> named = new LinkedHashMap<>();
        connections.forEach((name, count) ->
                named.put(name.length() > 1 && name.startsWith("/") ? name.substring(1) : name, count));
        return named;
    }

    public byte[] healthJson() {
        return Json.bytes(health());
    }

    /** Sockets, rooms and event counts per namespace. */
    public Map<String, Object> stats() {
        Map<String, Object> namespaces = new LinkedHashMap<>();
        for (Namespace namespace : view.namespaces()) {
            Map<String, Integer> rooms = namespace.rooms();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("sockets", namespace.socketCount());
            entry.put("roomCount", rooms.size());
            entry.put("rooms", rooms.size() <= MAX_ROOMS_LISTED ? rooms : firstRooms(rooms));
            entry.put("roomsTruncated", rooms.size() > MAX_ROOMS_LISTED);
            NamespaceMetrics counts = metrics.namespace(namespace.name());
            entry.put("eventsIn", counts == null ? 0 : counts.eventsInCount());
            entry.put("eventsOut", counts == null ? 0 : counts.eventsOutCount());
            entry.put("emits", counts == null ? 0 : counts.emitCount());
            namespaces.put(namespace.name(), entry);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("status", view.status().label());
        body.put("namespaces", namespaces);
        body.put("activeStreams", view.activeStreams());
        body.put("uptime", uptimeSeconds());
        sections.forEach((name, section) -> body.put(name, section.details().get()));
        return body;
    }

    private static Map<String, Integer> firstRooms(Map<String, Integer> rooms) {
        Map<String, Integer> first = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> room : rooms.entrySet()) {
            if (first.size() == MAX_ROOMS_LISTED) {
                break;
            }
            first.put(room.getKey(), room.getValue());
        }
        return first;
    }

    private double uptimeSeconds() {
        return Math.round((System.nanoTime() - startedNanos) / 1_000_000.0) / 1000.0;
    }
}
