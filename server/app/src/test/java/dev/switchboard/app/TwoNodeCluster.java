package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.switchboard.redis.RedisServer;
import dev.switchboard.testkit.NodeSocket;
import dev.switchboard.testkit.Cleanup;

/** Two app nodes sharing one real redis-server, each serving an {@link EchoNamespace} at {@code /chat}. */
final class TwoNodeCluster implements AutoCloseable {
    private static final int DELIVERY_ATTEMPTS = 30;
    private static final Duration DELIVERY_WAIT = Duration.ofMillis(500);

    private final RedisServer redis;
    private SwitchboardServer nodeA;
    private SwitchboardServer nodeB;

    private TwoNodeCluster(RedisServer redis) {
        this.redis = redis;
    }

    /** Starts Redis, then both nodes with REDIS_URL, REDIS_HEARTBEAT_MS=200 and {@code env} over the test settings. */
    static TwoNodeCluster start(Map<String, String> env) {
        TwoNodeCluster cluster = new TwoNodeCluster(RedisServer.start());
        try {
            Map<String, String> clustered = new HashMap<>(env);
            clustered.put("REDIS_URL", cluster.redis.url());
            clustered.put("REDIS_HEARTBEAT_MS", "200");
            cluster.nodeA = TestServers.start(clustered, EchoNamespace.of("/chat"));
            cluster.nodeB = TestServers.start(clustered, EchoNamespace.of("/chat"));
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    RedisServer redis() {
        return redis;
    }

    SwitchboardServer nodeA() {
        return nodeA;
    }

    SwitchboardServer nodeB() {
        return nodeB;
    }

    /**
     * POSTs {@code emitJson} on {@code from} until {@code member} has received {@code event} (bounded): a node
     * publishes nothing until Redis answers, and its subscription lands a moment later, also after a Redis restart.
     */
    static void emitUntilReceived(SwitchboardServer from, String emitJson, NodeSocket member, String event) {
        for (int attempt = 0; attempt < DELIVERY_ATTEMPTS && member.events(event).isEmpty(); attempt++) {
            Http.emit(from, emitJson);
            try {
                member.awaitEvent(event, DELIVERY_WAIT);
            } catch (AssertionError notYet) {
                // Redis not connected or subscribed yet: try again
            }
        }
        assertThat(member.events(event)).as("'" + event + "' delivered across the nodes").isNotEmpty();
    }

    @Override
    public void close() {
        Cleanup.closeAll(nodeA, nodeB, redis);
    }
}
