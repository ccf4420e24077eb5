package dev.switchboard.socketio;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.switchboard.engineio.HttpReply;
import dev.switchboard.engineio.HttpRoute;
import dev.switchboard.engineio.HttpRouteRequest;

/**
 * The browser builds of socket.io-client the server is tested with, served as Node's {@code serveClient} does:
 * {@code <path>/socket.io.js}, {@code .min.js}, {@code .msgpack.min.js}, {@code .esm.min.js} and their source
 * maps, with the client version as ETag (a matching {@code If-None-Match} gets 304) and {@code max-age=0}, so
 * browsers revalidate and get the new build after an upgrade.
 */
final class ClientBundle {
    private static final String RESOURCES = "/dev/switchboard/socketio/client-dist/";
    private static final List<String> FILES = List.of("socket.io.js", "socket.io.min.js", "socket.io.msgpack.min.js",
            "socket.io.esm.min.js");

    private final String etag;
    private final Map<String, HttpReply> replies = new LinkedHashMap<>();

    private ClientBundle(String version) {
        this.etag = '"' + version + '"';
        for (String file : FILES) {
            replies.put(file, reply(file, "application/javascript; charset=utf-8"));
            replies.put(file + ".map", reply(file + ".map", "application/json; charset=utf-8"));
        }
    }

    /** Loads every file once; they stay in memory (about 1.2 MB) for the life of the server. */
    static ClientBundle load() {
        return new ClientBundle(versionOf(read("VERSION")));
    }

    /** Registers one GET route per file under {@code path} (Node's {@code path}, "/socket.io" by default). */
    void routes(String path, RouteSink sink) {
        String base = path.endsWith("/") ? path : path + "/";
        for (String file : replies.keySet()) {
            sink.route("GET", base + file, this::serve);
        }
    }

    @FunctionalInterface
    interface RouteSink {
        void route(String method, String path, HttpRoute route);
    }

    private HttpReply serve(HttpRouteRequest request) {
        String path = request.path();
        HttpReply reply = replies.get(path.substring(path.lastIndexOf('/') + 1));
        if (etag.equals(request.header("if-none-match"))) {
            return HttpReply.of(304, reply.contentType(), new byte[0]).withHeader("ETag", etag)
                    .withHeader("Cache-Control", "public, max-age=0");
        }
        return reply;
    }

    private HttpReply reply(String file, String contentType) {
        return HttpReply.of(200, contentType, read(file)).withHeader("ETag", etag)
                .withHeader("Cache-Control", "public, max-age=0");
    }

    static String versionOf(byte[] versionFile) {
        String text = new String(versionFile, StandardCharsets.UTF_8);
        String first = text.substring("socket.io-client ".length());
        return first.substring(0, first.indexOf(' '));
    }

    private static byte[] read(String file) {
        try (InputStream in = ClientBundle.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCES + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
