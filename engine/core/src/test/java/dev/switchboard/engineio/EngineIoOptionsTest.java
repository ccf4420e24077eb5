package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

import dev.switchboard.testkit.RawWebSocket;

class EngineIoOptionsTest {
    @Test
    void defaultsMatchNodeEngineIo() {
        EngineIoOptions o = EngineIoOptions.builder().build();
        assertThat(o.pingInterval()).isEqualTo(Duration.ofSeconds(25));
        assertThat(o.pingTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(o.upgradeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.maxPayload()).isEqualTo(1_000_000);
        assertThat(o.transports()).containsExactlyInAnyOrder("polling", "websocket");
        assertThat(o.allowEio3()).isFalse();
        assertThat(o.corsOrigins()).isEmpty();
        assertThat(o.perMessageDeflate()).isFalse();
        assertThat(o.outboundSoftLimit()).isEqualTo(1 << 20);
        assertThat(o.outboundHardLimit()).isEqualTo(8 << 20);
        assertThat(o.memoryShedPercent()).isEqualTo(80);
        assertThat(o.toBuilder().build().toString()).isEqualTo(o.toString());
    }

    @Test
    void admissionBoundsAreOffByDefaultAsInNodeAndTheHandshakeKeepsOnlyWhatHandlersRead() {
        EngineIoOptions o = EngineIoOptions.builder().build();
        assertThat(o.maxSessions()).isZero();
        assertThat(o.maxSessionsPerAddress()).isZero();
        assertThat(o.handshakesPerSecond()).isZero();
        assertThat(o.maxConnections()).isZero();
        assertThat(o.maxConnectionsPerAddress()).isZero();
        assertThat(o.hostCheck()).isSameAs(HostCheck.ANY);
        assertThat(o.requestHeadTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.handshakeHeaders()).contains("authorization", "x-forwarded-for", "x-real-ip", "origin")
                .doesNotContain("cookie");
        assertThat(o.maxHandshakeBytes()).isEqualTo(8192);
        EngineIoOptions set = EngineIoOptions.builder().maxSessions(5).maxSessionsPerAddress(2).handshakeRate(3, 4)
                .maxConnections(6).maxConnectionsPerAddress(7).requestHeadTimeout(Duration.ofSeconds(2)).build();
        assertThat(set.toBuilder().build().toString()).isEqualTo(set.toString());
        assertThatThrownBy(() -> EngineIoOptions.builder().maxSessions(-1)).hasMessageContaining("maxSessions");
        assertThatThrownBy(() -> EngineIoOptions.builder().memoryShedPercent(5)).hasMessageContaining("memoryShedPercent");
        assertThatThrownBy(() -> EngineIoOptions.builder().memoryShedPercent(96)).hasMessageContaining("memoryShedPercent");
        assertThat(EngineIoOptions.builder().memoryShedPercent(0).build().memoryShedPercent()).isZero();
        assertThatThrownBy(() -> EngineIoOptions.builder().handshakeRate(1, 0)).hasMessageContaining("handshakeBurst");
        assertThatThrownBy(() -> EngineIoOptions.builder().maxHandshakeBytes(10)).hasMessageContaining("maxHandshakeBytes");
    }

    @Test
    void invalidSettingsAreRefusedWithAClearMessage() {
        assertThatThrownBy(() -> EngineIoOptions.builder().port(70000)).hasMessageContaining("port");
        assertThatThrownBy(() -> EngineIoOptions.builder().transports(Set.of())).hasMessageContaining("transports");
        assertThatThrownBy(() -> EngineIoOptions.builder().transports(Set.of("flash"))).hasMessageContaining("transports");
        assertThatThrownBy(() -> EngineIoOptions.builder().pingInterval(Duration.ZERO)).hasMessageContaining("pingInterval");
        assertThatThrownBy(() -> EngineIoOptions.builder().maxPayload(10)).hasMessageContaining("maxPayload");
        assertThatThrownBy(() -> EngineIoOptions.builder().outboundSoftLimit(10).outboundHardLimit(5).build())
                .hasMessageContaining("outboundHardLimit");
    }

    @Test
    void websocketOnlyServerAdvertisesNoUpgradeAndRefusesPolling() throws Exception {
        try (TestEngine engine = new TestEngine(TestEngine.fastOptions().transports(Set.of("websocket")).build())) {
            assertThat(new PollingClient(engine.port()).get("EIO=4&transport=polling").body()).contains("\"code\":0");
            try (RawWebSocket ws = RawWebSocket.connect(engine.port(), TestEngine.PATH + "?EIO=4&transport=websocket",
                    java.util.Map.of())) {
                assertThat(ws.readText(Duration.ofSeconds(5))).contains("\"upgrades\":[]");
            }
        }
        try (TestEngine engine = new TestEngine(TestEngine.fastOptions().transports(Set.of("polling")).build())) {
            assertThat(new PollingClient(engine.port()).get("EIO=4&transport=polling").body()).contains("\"upgrades\":[]");
        }
    }
}
