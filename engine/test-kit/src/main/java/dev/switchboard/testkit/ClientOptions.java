package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Options passed to {@code io(url, opts)} of socket.io-client, plus {@code version} (v4, v3, v2) choosing the
 * client package. Defaults: v4, {@code forceNew: true} (one test socket = one connection), the client's own
 * defaults for everything else (transports polling then websocket, reconnection on).
 */
public final class ClientOptions {
    private final ObjectNode opts = DriverJson.MAPPER.createObjectNode();

    public static ClientOptions defaults() {
        return new ClientOptions();
    }

    public ClientOptions version(String version) {
        opts.put("version", version);
        return this;
    }

    /**
     * The client's packet parser: {@code "msgpack"} loads {@code socket.io-msgpack-parser} (v3 and v4 clients),
     * for a server built with {@code SocketIoParser.MSGPACK}. Default: socket.io-client's built-in parser.
     */
    public ClientOptions parser(String parser) {
        opts.put("parser", parser);
        return this;
    }

    /** e.g. {@code transports("websocket")} to skip long-polling, {@code transports("polling")} to never upgrade. */
    public ClientOptions transports(String... transports) {
        opts.set("transports", DriverJson.MAPPER.valueToTree(List.of(transports)));
        return this;
    }

    public ClientOptions auth(Map<String, ?> auth) {
        opts.set("auth", DriverJson.MAPPER.valueToTree(auth));
        return this;
    }

    public ClientOptions query(Map<String, String> query) {
        opts.set("query", DriverJson.MAPPER.valueToTree(query));
        return this;
    }

    public ClientOptions extraHeaders(Map<String, String> headers) {
        opts.set("extraHeaders", DriverJson.MAPPER.valueToTree(headers));
        return this;
    }

    public ClientOptions path(String path) {
        opts.put("path", path);
        return this;
    }

    public ClientOptions reconnection(boolean reconnection) {
        opts.put("reconnection", reconnection);
        return this;
    }

    public ClientOptions reconnectionDelay(Duration delay) {
        opts.put("reconnectionDelay", delay.toMillis());
        opts.put("reconnectionDelayMax", Math.max(delay.toMillis(), 1));
        return this;
    }

    /** Connection timeout of the client (connect_error "timeout" after it). */
    public ClientOptions timeout(Duration timeout) {
        opts.put("timeout", timeout.toMillis());
        return this;
    }

    public ClientOptions forceNew(boolean forceNew) {
        opts.put("forceNew", forceNew);
        return this;
    }

    public ClientOptions upgrade(boolean upgrade) {
        opts.put("upgrade", upgrade);
        return this;
    }

    /** Any other io() option, as a JSON-convertible value. */
    public ClientOptions set(String name, Object value) {
        opts.set(name, DriverJson.MAPPER.valueToTree(value));
        return this;
    }

    ObjectNode toJson() {
        return opts.deepCopy();
    }

    @Override
    public String toString() {
        return opts.toString();
    }
}
