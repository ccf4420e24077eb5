package dev.switchboard.app.config;

import java.util.regex.Pattern;

/**
 * Where clients reach the Engine.IO endpoint (Node's {@code path}) and whether the browser builds of
 * socket.io-client are served under it (Node's {@code serveClient}).
 */
public record ClientEndpoint(String path, boolean serveClient) {
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*/?");

    static ClientEndpoint parse(ConfigParser p) {
        String path = p.string("SOCKETIO_PATH", "/socket.io");
        if (path.length() > 100 || !PATH.matcher(path).matches()) {
            throw new ConfigException("SOCKETIO_PATH", "must be an absolute path such as /socket.io (letters, digits,"
                    + " '.', '_', '~', '-' between slashes), got '" + path + "'");
        }
        return new ClientEndpoint(path, p.bool("SERVE_CLIENT", true));
    }
}
