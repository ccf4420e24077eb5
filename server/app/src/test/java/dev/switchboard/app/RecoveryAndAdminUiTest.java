package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.app.config.ConfigException;
import dev.switchboard.app.config.SwitchboardConfig;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/**
 * Connection state recovery and the Admin UI as the app configures them: RECOVERY_MAX_DISCONNECTION_MS turns
 * recovery on (a client cut off mid-stream reconnects with recovered === true and gets what it missed, counted
 * in /metrics); ADMIN_UI=on serves the UI and needs a bcrypt hash.
 */
class RecoveryAndAdminUiTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** bcrypt of "secret-password" (cost 4, for test speed). */
    private static final String HASH = "$2a$04$Uz4qW8yDQBclfDOt2d7xte34YwtMBI8zXIG7nvKCtjs9U1XlZAR.C";

    @Test
    void recoveryIsOffByDefaultAndConfiguredByItsVariables() {
        assertThat(SwitchboardConfig.fromEnvironment(TestServers.baseEnv()).recovery()).isNull();
        Map<String, String> env = TestServers.baseEnv();
        env.put("RECOVERY_MAX_DISCONNECTION_MS", "60000");
        env.put("RECOVERY_MAX_PACKETS", "500");
        SwitchboardConfig config = SwitchboardConfig.fromEnvironment(env);
        assertThat(config.recovery().maxDisconnectionDuration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.recovery().maxBufferedPackets()).isEqualTo(500);
        env.put("RECOVERY_MAX_PACKETS", "0");
        assertThatThrownBy(() -> SwitchboardConfig.fromEnvironment(env)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).variable()).isEqualTo("RECOVERY_MAX_PACKETS"));
    }

    @Test
    void adminUiNeedsABcryptHash() {
        Map<String, String> env = TestServers.baseEnv();
        env.put("ADMIN_UI", "on");
        assertThatThrownBy(() -> SwitchboardConfig.fromEnvironment(env)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).variable()).isEqualTo("ADMIN_UI_PASSWORD_HASH"));
        env.put("ADMIN_UI_PASSWORD_HASH", "plain-text-password");
        assertThatThrownBy(() -> SwitchboardConfig.fromEnvironment(env)).isInstanceOf(ConfigException.class);
        env.put("ADMIN_UI_PASSWORD_HASH", HASH);
        assertThat(SwitchboardConfig.fromEnvironment(env).adminUi().username()).isEqualTo("admin");
    }

    @Test
    void adminUiLoginThrottleIsConfigured() {
        Map<String, String> env = TestServers.baseEnv();
        env.put("ADMIN_UI", "on");
        env.put("ADMIN_UI_PASSWORD_HASH", HASH);
        var defaults = SwitchboardConfig.fromEnvironment(env).adminUi();
        assertThat(defaults.loginBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.loginBackoffMax()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.maxConcurrentLoginChecks()).isEqualTo(2);
        env.put("ADMIN_UI_LOGIN_BACKOFF_MS", "5000");
        env.put("ADMIN_UI_LOGIN_BACKOFF_MAX_MS", "300000");
        env.put("ADMIN_UI_LOGIN_MAX_CONCURRENT", "1");
        env.put("TRUST_PROXY", "true");
        var set = SwitchboardConfig.fromEnvironment(env).adminUi();
        assertThat(set.loginBackoff()).isEqualTo(Duration.ofSeconds(5));
        assertThat(set.loginBackoffMax()).isEqualTo(Duration.ofMinutes(5));
        assertThat(set.maxConcurrentLoginChecks()).isEqualTo(1);
        assertThat(set.trustProxy()).isEqualTo(dev.switchboard.engineio.ProxyTrust.PRIVATE_NETWORKS);
        for (String[] bad : new String[][] {{"ADMIN_UI_LOGIN_BACKOFF_MS", "-1"}, {"ADMIN_UI_LOGIN_BACKOFF_MAX_MS", "10"},
                {"ADMIN_UI_LOGIN_MAX_CONCURRENT", "0"}}) {
            Map<String, String> wrong = new HashMap<>(env);
            wrong.put(bad[0], bad[1]);
            assertThatThrownBy(() -> SwitchboardConfig.fromEnvironment(wrong)).as(bad[0]).isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertThat(((ConfigException) e).variable()).isEqualTo(bad[0]));
        }
    }

    @Test
    void clientCutOffMidStreamRecoversWhatItMissedAndTheAdminUiIsServed() {
        Map<String, String> env = new HashMap<>();
        env.put("RECOVERY_MAX_DISCONNECTION_MS", "30000");
        env.put("ADMIN_UI", "on");
        env.put("ADMIN_UI_PASSWORD_HASH", HASH);
        SwitchboardServer server = TestServers.start(env, EchoNamespace.of("/chat"));
        try (NodeClientDriver driver = NodeClientDriver.start()) {
            NodeSocket client = driver.connect(TestServers.url(server), "/chat", ClientOptions.defaults()
                    .transports("websocket").reconnectionDelay(Duration.ofMillis(1500)));
            String firstId = client.awaitConnect(WAIT).path("sid").asText();
            client.emitWithAck("join", WAIT, "build-9");
            Http.emit(server, "{\"namespace\":\"/chat\",\"room\":\"build-9\",\"event\":\"line\",\"data\":1}");
            client.awaitEvent("line", WAIT);

            client.closeTransport("destroy");
            client.awaitDisconnect(WAIT);
            Http.emit(server, "{\"namespace\":\"/chat\",\"room\":\"build-9\",\"event\":\"line\",\"data\":2}");

            JsonNode reconnect = client.awaitLifecycle("connect", 2, WAIT);
            assertThat(reconnect.path("recovered").asBoolean()).as("socket.recovered").isTrue();
            assertThat(reconnect.path("sid").asText()).as("same socket id").isEqualTo(firstId);
            client.awaitEvent("line", args -> args.get(0).asInt() == 2, WAIT);
            assertThat(client.events("line")).extracting(args -> args.get(0).asInt()).containsExactly(1, 2);

            Await.until(() -> Http.get(server.apiPort(), "/metrics").body()
                    .contains("switchboard_recovery_recovered_total 1.0"), WAIT, "the recovery counted in /metrics");
            Http.Reply ui = Http.get(server.wsPort(), "/admin-ui/");
            assertThat(ui.status()).isEqualTo(200);
            assertThat(ui.body()).containsIgnoringCase("<html");
        } finally {
            server.close();
        }
    }
}
