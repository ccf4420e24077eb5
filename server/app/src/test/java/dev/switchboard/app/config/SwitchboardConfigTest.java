package dev.switchboard.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.engineio.ProxyTrust;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.switchboard.namespaces.deployments.DeploymentsNamespace;
import dev.switchboard.namespaces.files.FilesNamespace;
import dev.switchboard.namespaces.mcp.McpNamespace;
import dev.switchboard.namespaces.services.ServicesNamespace;
import dev.switchboard.namespaces.system.SystemNamespace;
import dev.switchboard.socketio.parser.SocketIoParser;

class SwitchboardConfigTest {
    private static final String TOKEN = "0123456789abcdef0123";

    @Test
    void defaults() {
        SwitchboardConfig config = SwitchboardConfig.fromEnvironment(Map.of());
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.wsPort()).isEqualTo(3007);
        assertThat(config.apiHost()).isEqualTo("127.0.0.1");
        assertThat(config.apiPort()).isEqualTo(3008);
        assertThat(config.corsOrigins()).containsExactly("http://localhost:3000", "http://localhost:5173");
        assertThat(config.production()).isFalse();
        assertThat(config.pingInterval()).isEqualTo(Duration.ofSeconds(25));
        assertThat(config.pingTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(config.maxPayloadBytes()).isEqualTo(1_000_000);
        assertThat(config.emitToken()).isNull();
        assertThat(config.apiMaxBodyBytes()).isEqualTo(1_048_576);
        assertThat(config.apiMaxBatch()).isEqualTo(100);
        assertThat(config.apiSelectors()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.authTokens()).isEmpty();
        assertThat(config.jwt()).isNull();
        assertThat(config.authConfigured()).isFalse();
        assertThat(config.rateLimit()).isEqualTo(new RateLimitSettings(50, 100, 5));
        assertThat(config.maxConnectionsPerIp()).isEqualTo(1000);
        assertThat(config.trustProxy()).isFalse();
        assertThat(config.logFormat()).isEqualTo("text");
        assertThat(config.logLevel()).isEqualTo("INFO");
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void explicitValues() {
        Map<String, String> env = new HashMap<>();
        env.put("WS_PORT", "4000");
        env.put("HOST", "127.0.0.1");
        env.put("API_PORT", "4001");
        env.put("CORS_ORIGINS", "https://app.example.com, https://admin.example.com:8443");
        env.put("VPS_IP", "203.0.113.7");
        env.put("SWITCHBOARD_ENV", "production");
        env.put("PING_INTERVAL_MS", "1000");
        env.put("PING_TIMEOUT_MS", "500");
        env.put("CONNECT_TIMEOUT_MS", "2000");
        env.put("MAX_PAYLOAD_BYTES", "2048");
        env.put("EMIT_TOKEN", TOKEN);
        env.put("AUTH_TOKENS", "aaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbb@/services|/files");
        env.put("RATE_LIMIT_EVENTS_PER_SEC", "10");
        env.put("MAX_CONNECTIONS_PER_IP", "0");
        env.put("LOG_FORMAT", "json");
        env.put("SHUTDOWN_GRACE_MS", "3000");
        env.put("TRUST_PROXY", "true");
        SwitchboardConfig config = SwitchboardConfig.fromEnvironment(env);
        assertThat(config.wsPort()).isEqualTo(4000);
        assertThat(config.hostIsLoopback()).isTrue();
        assertThat(config.corsOrigins()).containsExactly("https://app.example.com", "https://admin.example.com:8443",
                "http://203.0.113.7", "https://203.0.113.7", "http://203.0.113.7:3000");
        assertThat(config.production()).isTrue();
        assertThat(config.pingTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.maxPayloadBytes()).isEqualTo(2048);
        assertThat(config.authTokens()).hasSize(2);
        assertThat(config.authTokens().get(0).grants("/deployments")).isTrue();
        assertThat(config.authTokens().get(1).grants("/services")).isTrue();
        assertThat(config.authTokens().get(1).grants("/deployments")).isFalse();
        assertThat(config.rateLimit()).isEqualTo(new RateLimitSettings(10, 20, 5));
        assertThat(config.maxConnectionsPerIp()).isZero();
        assertThat(config.logFormat()).isEqualTo("json");
        assertThat(config.trustProxy()).isTrue();
        assertThat(config.toString()).doesNotContain(TOKEN).doesNotContain("aaaaaaaaaaaaaaaa");
    }

    @Test
    void trustedProxiesNameThePeersWhoseForwardingHeadersAreBelieved() {
        var peer = new java.net.InetSocketAddress("10.1.2.3", 40000);
        assertThat(SwitchboardConfig.fromEnvironment(Map.of()).proxyTrust()).isSameAs(ProxyTrust.NONE);
        assertThat(SwitchboardConfig.fromEnvironment(Map.of("TRUSTED_PROXIES", "10.0.0.0/8")).proxyTrust())
                .as("only with TRUST_PROXY").isSameAs(ProxyTrust.NONE);
        assertThat(SwitchboardConfig.fromEnvironment(Map.of("TRUST_PROXY", "true")).proxyTrust())
                .as("the default: loopback and private networks, as before").isSameAs(ProxyTrust.PRIVATE_NETWORKS);
        ProxyTrust listed = SwitchboardConfig.fromEnvironment(Map.of("TRUST_PROXY", "true",
                "TRUSTED_PROXIES", " 127.0.0.1, 10.1.2.3/32 ,::1")).proxyTrust();
        assertThat(listed.trusts(peer)).isTrue();
        assertThat(listed.trusts(new java.net.InetSocketAddress("10.1.2.4", 40000))).isFalse();
        assertThat(listed.trusts(new java.net.InetSocketAddress("::1", 40000))).isTrue();
    }

    @Test
    void productionWithoutCorsOriginsHasOnlyVpsOrigins() {
        SwitchboardConfig config = SwitchboardConfig.fromEnvironment(Map.of("SWITCHBOARD_ENV", "production"));
        assertThat(config.corsOrigins()).isEmpty();
    }

    @Test
    void propertiesFileIsReadAndEnvironmentWins(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("switchboard.properties");
        Files.writeString(file, "WS_PORT=4100\nAPI_PORT=4101\nLOG_FORMAT=json\n");
        SwitchboardConfig config = SwitchboardConfig.fromEnvironment(Map.of(
                "SWITCHBOARD_CONFIG", file.toString(), "API_PORT", "4200"));
        assertThat(config.wsPort()).isEqualTo(4100);
        assertThat(config.apiPort()).isEqualTo(4200);
        assertThat(config.logFormat()).isEqualTo("json");
    }

    @Test
    void unreadablePropertiesFileNamesTheVariable(@TempDir Path dir) {
        assertRefused(Map.of("SWITCHBOARD_CONFIG", dir.resolve("missing.properties").toString()), "SWITCHBOARD_CONFIG");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "WS_PORT|abc", "WS_PORT|70000", "WS_PORT|-1", "API_PORT|3.5",
            "HOST|no such host.invalid", "API_HOST|bad host.invalid",
            "SWITCHBOARD_ENV|staging", "PING_INTERVAL_MS|fast", "PING_INTERVAL_MS|10",
            "PING_TIMEOUT_MS|-5", "CONNECT_TIMEOUT_MS|0", "MAX_PAYLOAD_BYTES|12",
            "MAX_PAYLOAD_BYTES|lots", "EMIT_TOKEN|short", "AUTH_TOKENS|short",
            "AUTH_TOKENS|aaaaaaaaaaaaaaaa@services", "JWT_SECRET|too-short-secret",
            "JWT_PUBLIC_KEY|/nonexistent/key.pem", "JWT_PUBLIC_KEY|-----BEGIN PUBLIC KEY-----AAAA-----END PUBLIC KEY-----",
            "PUBLIC_NAMESPACES|system", "RATE_LIMIT_EVENTS_PER_SEC|-1", "RATE_LIMIT_BURST|0",
            "RATE_LIMIT_DISCONNECT_AFTER_SEC|x", "MAX_CONNECTIONS_PER_IP|many", "LOG_FORMAT|xml",
            "LOG_LEVEL|LOUD", "SHUTDOWN_GRACE_MS|soon", "CORS_ORIGINS|localhost:3000", "VPS_IP|1.2.3.4/24",
            "TRUST_PROXY|maybe", "TRUSTED_PROXIES|10.0.0.0/33", "TRUSTED_PROXIES|proxy.internal", "JWT_REQUIRE_EXP|maybe", "JWT_ISSUER|https://auth.example", "JWT_AUDIENCE|switchboard",
            "API_MAX_BODY_BYTES|0", "API_MAX_BATCH|0", "API_SELECTORS|0", "API_SELECTORS|65", "REDIS_ADAPTER|cluster", "REDIS_SUBSCRIPTION_MODE|lazy",
            "REDIS_URL|redis://127.0.0.1:7000,127.0.0.1:7001", "REDIS_PREFIX|a#b",
            "NAMESPACES|/nope", "SYSTEM_HISTORY|-1", "SYSTEM_DEFAULT_INTERVAL_MS|10", "SYSTEM_TOP_PROCESSES|x",
            "FILES_ROOTS|relative/path", "FILES_MAX_WATCHES|0", "FILES_DEBOUNCE_MS|-1", "MCP_FORWARD_URL|ftp://x",
            "MCP_FORWARD_URL|http://bad host", "MCP_FORWARD_ATTEMPTS|0", "MCP_MAX_ROOMS|none", "MCP_HISTORY_MAX_BYTES|0", "LOGS_MAX_TAIL|0",
            "LOGS_DEFAULT_TAIL|5000", "LOGS_MAX_LINE_BYTES|10", "DOCKER_REQUEST_TIMEOUT_MS|0", "PM2_POLL_MS|fast",
            "DEPLOYMENT_LOGS|nopath", "ROOM_PATTERNS|project:*@/", "ROOM_PATTERNS|a@mcp/x@/", "MAX_ROOMS_PER_NAMESPACE|0", "MAX_ROOMS_PER_NAMESPACE|many",
            "WS_PUBLIC_CHANNELS|xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void badValueNamesItsVariable(String variable, String value) {
        assertRefused(Map.of(variable, value), variable);
    }

    @Test
    void namespaceSettings() {
        SwitchboardConfig config = SwitchboardConfig.fromEnvironment(Map.of(
                "NAMESPACES", "system,/mcp", "FILES_ROOTS", "/srv/a, /srv/b", "SYSTEM_HISTORY", "5",
                "MCP_FORWARD_URL", "http://127.0.0.1:9000/hook", "LOGS_MAX_TAIL", "50", "LOGS_DEFAULT_TAIL", "10",
                "DEPLOYMENT_LOGS", "api:/var/log/api.log", "PM2_HOME", "/tmp/pm2"));
        NamespaceSettings ns = config.namespaces();
        assertThat(ns.enabled()).containsExactlyInAnyOrder("/system", "/mcp");
        assertThat(ns.settings(FilesNamespace.DEFINITION).roots()).containsExactly(Path.of("/srv/a"), Path.of("/srv/b"));
        assertThat(ns.settings(SystemNamespace.DEFINITION).history()).isEqualTo(5);
        assertThat(ns.settings(McpNamespace.DEFINITION).forwardUrl()).hasToString("http://127.0.0.1:9000/hook");
        assertThat(ns.settings(ServicesNamespace.DEFINITION).maxTail()).isEqualTo(50);
        assertThat(ns.settings(DeploymentsNamespace.DEFINITION).defaultTail()).isEqualTo(10);
        assertThat(ns.settings(DeploymentsNamespace.DEFINITION).logFiles()).containsEntry("api", Path.of("/var/log/api.log"));
        assertThat(ns.settings(DeploymentsNamespace.DEFINITION).pm2Home()).isEqualTo(Path.of("/tmp/pm2"));
        assertThat(SwitchboardConfig.fromEnvironment(Map.of()).namespaces().enabled()).hasSize(5);
        assertThat(SwitchboardConfig.fromEnvironment(Map.of()).namespaces().rooms().allowed()).hasToString("[*]");
        assertThat(SwitchboardConfig.fromEnvironment(Map.of("ROOM_PATTERNS", "project:*@/mcp|/services, thread-*"))
                .namespaces().rooms().allowed()).hasToString("[project:*@/mcp|/services, thread-*]");
        assertThat(SwitchboardConfig.fromEnvironment(Map.of()).namespaces().rooms().maxRooms()).isEqualTo(100_000);
        assertThat(SwitchboardConfig.fromEnvironment(Map.of("MAX_ROOMS_PER_NAMESPACE", "500", "ROOM_PATTERNS", "a-*"))
                .namespaces().rooms().maxRooms()).isEqualTo(500);
        assertThat(SwitchboardConfig.fromEnvironment(Map.of("WS_PUBLIC_CHANNELS", "global, topics/*"))
                .channels().publicChannels()).containsExactly("global", "topics/*");
        assertThat(SwitchboardConfig.fromEnvironment(Map.of("MCP_FORWARD_TOKEN", "secret-forward-token")).toString())
                .doesNotContain("secret-forward-token");
    }

    @Test
    void nonLoopbackApiHostNeedsAnEmitToken() {
        assertRefused(Map.of("API_HOST", "0.0.0.0"), "EMIT_TOKEN");
        assertThat(SwitchboardConfig.fromEnvironment(Map.of("API_HOST", "0.0.0.0", "EMIT_TOKEN", TOKEN)).emitToken())
                .isEqualTo(TOKEN);
    }

    @Test
    void jwtSecretAndPublicKeyAreExclusive() {
        assertRefused(Map.of("JWT_SECRET", "x".repeat(40), "JWT_PUBLIC_KEY", "/k.pem"), "JWT_PUBLIC_KEY");
    }

    @Test
    void samePortForBothServersIsRefused() {
        assertRefused(Map.of("WS_PORT", "5000", "API_PORT", "5000"), "API_PORT");
    }

    @Test
    void jwtConfigured() {
        SwitchboardConfig config = SwitchboardConfig.fromEnvironment(Map.of("JWT_SECRET", "s".repeat(32)));
        assertThat(config.jwt().algorithm()).isEqualTo("HS256");
        assertThat(config.authConfigured()).isTrue();
        assertThat(List.of(config.toString())).noneMatch(s -> s.contains("s".repeat(32)));
    }

    @Test
    void socketIoParser() {
        assertThat(SwitchboardConfig.fromEnvironment(Map.of()).parser()).isEqualTo(SocketIoParser.DEFAULT);
        assertThat(SwitchboardConfig.fromEnvironment(Map.of("SOCKETIO_PARSER", "msgpack")).parser())
                .isEqualTo(SocketIoParser.MSGPACK);
        assertThat(SwitchboardConfig.fromEnvironment(Map.of("SOCKETIO_PARSER", "MsgPack")).toString())
                .contains("socketioParser=msgpack");
        assertRefused(Map.of("SOCKETIO_PARSER", "json"), "SOCKETIO_PARSER");
    }

    private static void assertRefused(Map<String, String> env, String variable) {
        assertThatThrownBy(() -> SwitchboardConfig.fromEnvironment(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(variable + ": ")
                .satisfies(e -> assertThat(((ConfigException) e).variable()).isEqualTo(variable));
    }

    @Test
    void portIsTheWsPortWhenWsPortIsUnset() {
        assertThat(SwitchboardConfig.fromEnvironment(Map.of("PORT", "8080")).wsPort()).isEqualTo(8080);
        assertThat(SwitchboardConfig.fromEnvironment(Map.of("PORT", "8080", "WS_PORT", "3100")).wsPort()).isEqualTo(3100);
        assertThatThrownBy(() -> SwitchboardConfig.fromEnvironment(Map.of("PORT", "http")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PORT: must be an integer");
    }
}
