package dev.switchboard.admin;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.switchboard.engineio.HttpReply;
import dev.switchboard.engineio.HttpRoute;
import dev.switchboard.engineio.HttpRouteRequest;

/**
 * Serves the Admin UI's built files (classpath {@code admin-ui/}, from @socket.io/admin-ui) under a path prefix.
 * Only names made of safe characters are looked up (no "..", no hidden files); files are cached after first read.
 */
final class AdminStaticFiles implements HttpRoute {
    private static final String ROOT = "admin-ui/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "application/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "png", "image/png", "svg", "image/svg+xml");

    /** Folders and dotted names made of safe characters; no segment may start with '.' (no "..", no hidden files). */
    private static final java.util.regex.Pattern SAFE_NAME =
            java.util.regex.Pattern.compile("([A-Za-z0-9_-]+/)*[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.[a-z]+");

    private final String prefix;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    AdminStaticFiles(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public HttpReply handle(HttpRouteRequest request) {
        String path = request.path();
        String name = path.length() <= prefix.length() ? "index.html" : path.substring(prefix.length());
        if (!SAFE_NAME.matcher(name).matches()) {
            return HttpReply.text(404, "not found");
        }
        String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        if (type == null) {
            return HttpReply.text(404, "not found");
        }
        byte[] body = cache.get(name);
        if (body == null) {
            body = load(name);
            if (body == null) {
                return HttpReply.text(404, "not found"); // misses are not cached: the cache holds real files only
            }
            cache.put(name, body);
        }
        return HttpReply.of(200, type, body).withHeader("Cache-Control", name.equals("index.html") ? "no-cache" : "max-age=86400");
    }

    private static byte[] load(String name) {
        try (InputStream in = AdminStaticFiles.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }
}
