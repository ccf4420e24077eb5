package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RedisSettingsTest {

    @Test
    void defaultsAreOffWithTheSocketIoPrefix() {
        RedisSettings s = RedisSettings.defaults();
        assertThat(s.enabled()).isFalse();
        assertThat(s.prefix()).isEqualTo("socket.io");
        assertThat(s.relayChannel()).isNull();
        assertThat(s.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.nodeTtl()).isEqualTo(Duration.ofSeconds(15));
        assertThat(RedisSettings.fromEnvironment(Map.of())).isEqualTo(s);
        assertThatThrownBy(() -> RedisCluster.start(s)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("REDIS_URL");
    }

    @Test
    void readsTheEnvironment() {
        RedisSettings s = RedisSettings.fromEnvironment(Map.of("REDIS_URL", "redis://:secret@10.0.0.5:6380/2",
                "REDIS_PREFIX", "sb", "REDIS_RELAY_CHANNEL", "events", "REDIS_HEARTBEAT_MS", "1000"));
        assertThat(s.enabled()).isTrue();
        assertThat(s.prefix()).isEqualTo("sb");
        assertThat(s.relayChannel()).isEqualTo("events");
        assertThat(s.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.toString()).doesNotContain("secret").contains("redis://10.0.0.5:6380");
        assertThat(RedisSettings.fromEnvironment(Map.of("REDIS_URL", " ", "REDIS_PREFIX", "")).enabled()).isFalse();
    }

    @Test
    void rejectsBadValuesNamingTheVariable() {
        assertThatThrownBy(() -> RedisSettings.fromEnvironment(Map.of("REDIS_URL", "http://localhost:6379")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REDIS_URL");
        assertThatThrownBy(() -> RedisSettings.fromEnvironment(Map.of("REDIS_URL", "redis:///0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no host");
        assertThatThrownBy(() -> RedisSettings.fromEnvironment(Map.of("REDIS_URL", "redis://a b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REDIS_URL");
        assertThatThrownBy(() -> RedisSettings.fromEnvironment(Map.of("REDIS_PREFIX", "a#b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REDIS_PREFIX");
        assertThatThrownBy(() -> RedisSettings.fromEnvironment(Map.of("REDIS_HEARTBEAT_MS", "soon")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REDIS_HEARTBEAT_MS");
        assertThatThrownBy(() -> RedisSettings.fromEnvironment(Map.of("REDIS_HEARTBEAT_MS", "10")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REDIS_HEARTBEAT_MS");
    }

    @Test
    void adapterModesDefaultToClassicAndDynamic() {
        RedisSettings s = RedisSettings.fromEnvironment(Map.of("REDIS_URL", "redis://127.0.0.1:6379"));
        assertThat(s.adapter()).isEqualTo(RedisSettings.AdapterMode.CLASSIC);
        assertThat(s.subscriptionMode()).isEqualTo(RedisSettings.SubscriptionMode.DYNAMIC);
        assertThat(s.sharded()).isFalse();
        RedisSettings sharded = RedisSettings.fromEnvironment(Map.of("REDIS_ADAPTER", "Sharded",
                "REDIS_SUBSCRIPTION_MODE", "dynamic-private",
                "REDIS_URL", "redis://:pw@127.0.0.1:7000, 127.0.0.1:7001/0"));
        assertThat(sharded.sharded()).isTrue();
        assertThat(sharded.subscriptionMode()).isEqualTo(RedisSettings.SubscriptionMode.DYNAMIC_PRIVATE);
        assertThat(sharded.nodeUrls()).containsExactly("redis://:pw@127.0.0.1:7000/0", "redis://:pw@127.0.0.1:7001/0");
        assertThat(sharded.toString()).doesNotContain("pw").contains("redis://127.0.0.1:7000,127.0.0.1:7001");
    }

    @Test
    void rejectsBadModesAndASeedListWithoutTheShardedAdapter() {
        assertThatThrownBy(() -> RedisSettings.fromEnvironment(Map.of("REDIS_ADAPTER", "cluster")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REDIS_ADAPTER")
                .hasMessageContaining("classic|sharded");
        assertThatThrownBy(() -> RedisSettings.fromEnvironment(Map.of("REDIS_SUBSCRIPTION_MODE", "lazy")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REDIS_SUBSCRIPTION_MODE")
                .hasMessageContaining("static|dynamic|dynamic-private");
        assertThatThrownBy(() -> RedisSettings.fromEnvironment(Map.of("REDIS_URL", "redis://127.0.0.1:7000,127.0.0.1:7001")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REDIS_ADAPTER=sharded");
        assertThatThrownBy(() -> RedisSettings.fromEnvironment(Map.of("REDIS_ADAPTER", "sharded",
                "REDIS_URL", "redis://127.0.0.1:7000,")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REDIS_URL");
    }
}
