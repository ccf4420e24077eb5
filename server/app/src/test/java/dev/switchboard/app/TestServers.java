package dev.switchboard.app;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.switchboard.app.config.SwitchboardConfig;
import dev.switchboard.namespaces.core.SwitchboardNamespace;
import dev.switchboard.testkit.RawWebSocket;

/** Starts the real server in-process on loopback, ephemeral ports, with test settings on top. */
public final class TestServers {
    public static final String EMIT_TOKEN = "emit-token-for-tests-0123456789";

    private TestServers() {
    }

    public static Map<String, String> baseEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("HOST", "127.0.0.1");
        env.put("WS_PORT", "0");
        env.put("API_HOST", "127.0.0.1");
        env.put("API_PORT", "0");
        env.put("EMIT_TOKEN", EMIT_TOKEN);
        env.put("SHUTDOWN_GRACE_MS", "2000");
        return env;
    }

    public static SwitchboardServer start(Map<String, String> overrides, List<SwitchboardNamespace> namespaces) {
        Map<String, String> env = baseEnv();
        env.putAll(overrides);
        return SwitchboardServer.start(SwitchboardConfig.fromEnvironment(env), namespaces);
    }

    /** The server as shipped: every namespace of the registry that the settings enable. */
    public static SwitchboardServer startWithRegistry(Map<String, String> overrides) {
        Map<String, String> env = baseEnv();
        env.putAll(overrides);
        SwitchboardConfig config = SwitchboardConfig.fromEnvironment(env);
        return SwitchboardServer.start(config, config.namespaces().enabledNamespaces());
    }

    /** The server as shipped plus test namespaces (e.g. an {@link EchoNamespace}) beside the registry's. */
    public static SwitchboardServer startWithRegistry(Map<String, String> overrides, SwitchboardNamespace... extra) {
        Map<String, String> env = baseEnv();
        env.putAll(overrides);
        SwitchboardConfig config = SwitchboardConfig.fromEnvironment(env);
        List<SwitchboardNamespace> namespaces = new ArrayList<>(config.namespaces().enabledNamespaces());
        namespaces.addAll(List.of(extra));
        return SwitchboardServer.start(config, namespaces);
    }

    public static String url(SwitchboardServer server) {
        return "http://127.0.0.1:" + server.wsPort();
    }

    /** A plain {@code /ws} client on the server's public port, after its {@code connected} message. */
    public static RawWebSocket plainWs(SwitchboardServer server, Duration wait) throws IOException {
        RawWebSocket ws = RawWebSocket.to(server.wsPort()).path("/ws").open();
        try {
            ws.takeJson(m -> "connected".equals(m.path("type").asText()), wait);
            return ws;
        } catch (IOException | RuntimeException | AssertionError e) {
            ws.close();
            throw e;
        }
    }
}
