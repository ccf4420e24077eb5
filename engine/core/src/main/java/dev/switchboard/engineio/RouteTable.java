package dev.switchboard.engineio;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Engine.IO endpoints and plain HTTP routes by path. Filled before start, read by I/O threads. */
final class RouteTable {
    private record PrefixRoute(String method, String prefix, HttpRoute handler) {
    }

    private final Map<String, Consumer<EngineSocket>> endpoints = new ConcurrentHashMap<>();
    private final Map<String, HttpRoute> exact = new ConcurrentHashMap<>();
    private final List<PrefixRoute> prefixes = new CopyOnWriteArrayList<>();
    private final Map<String, WebSocketRoute> webSockets = new ConcurrentHashMap<>();

    void endpoint(String path, Consumer<EngineSocket> onConnection) {
        String key = trimSlash(path);
        if (endpoints.putIfAbsent(key, onConnection) != null) {
            throw new IllegalArgumentException("endpoint already declared: " + path);
        }
    }

    void route(String method, String path, HttpRoute handler) {
        exact.put(method.toUpperCase(Locale.ROOT) + ' ' + path, handler);
    }

    void routePrefix(String method, String prefix, HttpRoute handler) {
        prefixes.add(new PrefixRoute(method.toUpperCase(Locale.ROOT), prefix, handler));
    }

    void webSocket(String path, WebSocketRoute route) {
        if (webSockets.putIfAbsent(trimSlash(path), route) != null) {
            throw new IllegalArgumentException("websocket route already declared: " + path);
        }
    }

    /** The plain WebSocket route at this path (trailing slash ignored), or null. */
    WebSocketRoute webSocket(String path) {
        return webSockets.isEmpty() ? null : webSockets.get(trimSlash(path));
    }

    /** The endpoint at this path ("/socket.io" and "/socket.io/" are the same), or null. */
    Consumer<EngineSocket> endpoint(String path) {
        return endpoints.isEmpty() ? null : endpoints.get(trimSlash(path));
    }

    HttpRoute route(String method, String path) {
        HttpRoute route = exact.get(method + ' ' + path);
        if (route != null) return route;
        for (PrefixRoute p : prefixes) {
            if (p.method.equals(method) && path.startsWith(p.prefix)) return p.handler;
        }
        return null;
    }

    private static String trimSlash(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
