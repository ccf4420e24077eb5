package dev.switchboard.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.switchboard.engineio.HttpReply;
import dev.switchboard.engineio.HttpRoute;
import dev.switchboard.engineio.HttpRouteRequest;
import dev.switchboard.socketio.parser.SocketIoParser;

/**
 * Serves the dashboard bundled under {@code /ui/} in the jar on the public port ({@code GET /ui/...}).
 * Files are read once and kept (they are small); paths leaving the folder are 404. The page loads
 * {@code vendor/socket.io.min.js}: the browser build of socket.io-client the engine serves under its own path
 * (one copy in the jar), the one built with the msgpack parser when the server speaks it.
 */
final class StaticUi implements HttpRoute {
    static final String PREFIX = "/ui/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "json", "application/json", "svg", "image/svg+xml",
            "png", "image/png", "ico", "image/x-icon", "txt", "text/plain; charset=utf-8");
    private static final HttpReply NOT_FOUND = HttpReply.text(404, "not found");

    static final String CLIENT = "vendor/socket.io.min.js";
    private static final String CLIENT_DIST = "/dev/switchboard/socketio/client-dist/";

    private final Map<String, HttpReply> cache = new ConcurrentHashMap<>();
    private final String client;

    StaticUi(SocketIoParser parser) {
        this.client = CLIENT_DIST + (parser == SocketIoParser.MSGPACK ? "socket.io.msgpack.min.js" : "socket.io.min.js");
    }

    /** {@code GET /ui} answers a redirect to {@code /ui/}. */
    static HttpRoute redirect() {
        return request -> HttpReply.text(301, "moved").withHeader("Location", PREFIX);
    }

    @Override
    public HttpReply handle(HttpRouteRequest request) {
        String path = request.path();
        String file = path.length() <= PREFIX.length() ? "index.html" : path.substring(PREFIX.length());
        if (!safe(file)) {
            return NOT_FOUND;
        }
        HttpReply cached = cache.get(file);
        if (cached != null) {
            return cached;
        }
        HttpReply loaded = load(file.equals(CLIENT) ? client : PREFIX + file);
        if (loaded != NOT_FOUND) {
            cache.put(file, loaded); // only files that exist: the set is bounded by the jar, not by requests
        }
        return loaded;
    }

    private static boolean safe(String file) {
        if (file.startsWith("/") || file.contains("\\") || file.indexOf('\0') >= 0) {
            return false;
        }
        for (String segment : file.split("/")) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static HttpReply load(String resource) {
        String type = TYPES.get(resource.substring(resource.lastIndexOf('.') + 1));
        if (type == null) {
            return NOT_FOUND;
        }
        try (InputStream in = StaticUi.class.getResourceAsStream(resource)) {
            if (in == null) {
                return NOT_FOUND;
            }
            return HttpReply.of(200, type, in.readAllBytes()).withHeader("Cache-Control", "no-cache")
                    .withHeader("X-Content-Type-Options", "nosniff");
        } catch (IOException e) {
            return HttpReply.of(500, "text/plain", "unreadable".getBytes(StandardCharsets.UTF_8));
        }
    }
}
