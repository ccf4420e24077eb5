package dev.switchboard.app;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.redis.RedisClusterServer;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.Cleanup;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/**
 * REDIS_ADAPTER=sharded through the app's configuration: two app nodes on a real Redis Cluster (seed list in
 * REDIS_URL); POST /emit on node B reaches the room's member on node A and nobody else.
 */
class ClusterShardedEmitTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void emitOnOneNodeReachesTheRoomOnTheOtherOverShardedPubSub() {
        RedisClusterServer redis = RedisClusterServer.start();
        SwitchboardServer nodeA = null;
        SwitchboardServer nodeB = null;
        NodeClientDriver driver = null;
        try {
            Map<String, String> env = Map.of("REDIS_URL", redis.seedUrl(), "REDIS_ADAPTER", "sharded",
                    "REDIS_SUBSCRIPTION_MODE", "dynamic", "REDIS_HEARTBEAT_MS", "200");
            nodeA = TestServers.start(env, EchoNamespace.of("/chat"));
            nodeB = TestServers.start(env, EchoNamespace.of("/chat"));
            driver = NodeClientDriver.start();
            NodeSocket member = driver.connect(TestServers.url(nodeA), "/chat", ClientOptions.defaults());
            NodeSocket outsider = driver.connect(TestServers.url(nodeA), "/chat", ClientOptions.defaults());
            member.awaitConnect(WAIT);
            outsider.awaitConnect(WAIT);
            member.emitWithAck("join", WAIT, "shard-room");
            TwoNodeCluster.emitUntilReceived(nodeB,
                    "{\"namespace\":\"/chat\",\"room\":\"shard-room\",\"event\":\"sharded\",\"data\":{\"n\":1}}",
                    member, "sharded");
            outsider.assertNoEvent("sharded", Duration.ofMillis(300));
        } finally {
            Cleanup.closeAll(driver, nodeA, nodeB, redis);
        }
    }
}
