package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.redis.RedisSettings.AdapterMode;
import dev.switchboard.redis.RedisSettings.SubscriptionMode;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/**
 * The figures behind issue #20's "nodes woken and Redis bytes out per broadcast, classic vs sharded": six
 * Switchboard nodes, a room with its one member on one node, {@value #BROADCASTS} broadcasts of a
 * {@value #PAYLOAD}-character payload to it from another node. Counts per node the pub/sub messages Redis delivered
 * ({@link RedisCluster#messagesReceived()}), and the Redis side's INFO stats total_net_output_bytes (summed over the
 * cluster's nodes) less the same idle interval's growth. Logs {@code event=adapter_footprint ...} one line per mode.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdapterModeFootprintTest {
    private static final Logger log = LoggerFactory.getLogger(AdapterModeFootprintTest.class);
    private static final Duration WAIT = Duration.ofSeconds(15);
    static final int NODES = 6;
    static final int BROADCASTS = 200;
    static final int PAYLOAD = 512;

    record Footprint(String mode, int nodesWoken, double messagesPerBroadcast, double bytesOutPerBroadcast,
                     double replBytesPerBroadcast) {
    }

    @Test
    void aRoomOnOneNodeOfSixWakesSixNodesClassicAndOneSharded() {
        Footprint classic;
        Footprint sharded;
        try (NodeClientDriver driver = NodeClientDriver.start()) {
            try (RedisServer redis = RedisServer.start()) {
                RedisSettings settings = RedisSettings.defaults().withUrl(redis.url())
                        .withHeartbeatInterval(Duration.ofMinutes(5));
                classic = measure("classic", settings, driver,
                        field -> RedisClusterServer.statsField(redis.commands().info("stats"), field));
            }
            try (RedisClusterServer redis = RedisClusterServer.start()) {
                RedisSettings settings = RedisSettings.defaults().withAdapter(AdapterMode.SHARDED, SubscriptionMode.DYNAMIC)
                        .withUrl(redis.seedUrl()).withHeartbeatInterval(Duration.ofMinutes(5));
                sharded = measure("sharded", settings, driver, redis::statsSum);
            }
        }
        assertThat(classic.nodesWoken()).isEqualTo(NODES);
        assertThat(sharded.nodesWoken()).isEqualTo(1);
        assertThat(sharded.bytesOutPerBroadcast()).isLessThan(classic.bytesOutPerBroadcast());
    }

    private static Footprint measure(String mode, RedisSettings settings, NodeClientDriver driver,
                                     ToLongFunction<String> stat) {
        List<ClusterNode> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < NODES; i++) {
                nodes.add(new ClusterNode(settings, "/mcp").awaitHealthy(WAIT));
            }
            ClusterNode member = nodes.get(0);
            ClusterNode sender = nodes.get(1);
            NodeSocket client = member.connect(driver, "/mcp", WAIT);
            client.emitWithAck("join", WAIT, "footprint-room");
            if (settings.sharded()) {
                Await.until(member.cluster::subscriptionsPlaced, WAIT, "room channel subscribed");
            }
            String payload = "x".repeat(PAYLOAD);
            sender.ns("/mcp").to("footprint-room").emit("warm-up", payload); // connections to every shard open
            client.awaitEvent("warm-up", WAIT);

            long[] before = nodes.stream().mapToLong(n -> n.cluster.messagesReceived()).toArray();
            long bytes0 = stat.applyAsLong("total_net_output_bytes");
            long repl0 = stat.applyAsLong("total_net_repl_output_bytes");
            long started = System.nanoTime();
            for (int i = 0; i < BROADCASTS; i++) {
                sender.ns("/mcp").to("footprint-room").emit("load", payload);
            }
            client.awaitEvents("load", BROADCASTS, WAIT);
            // every node has had the time to receive what Redis sent it: wait for the slowest one's count to settle
            Await.until(() -> nodes.stream().mapToLong(n -> n.cluster.messagesReceived()).sum()
                    == settle(nodes), WAIT, "message counts settled");
            long bytes1 = stat.applyAsLong("total_net_output_bytes");
            long repl1 = stat.applyAsLong("total_net_repl_output_bytes");
            long elapsed = System.nanoTime() - started;
            // the same interval idle: what topology refreshes, INFO itself and heartbeats cost meanwhile
            long idleStart = System.nanoTime();
            while (System.nanoTime() - idleStart < elapsed) {
                Thread.onSpinWait();
                pause();
            }
            long bytes2 = stat.applyAsLong("total_net_output_bytes");
            long repl2 = stat.applyAsLong("total_net_repl_output_bytes");

            int woken = 0;
            long messages = 0;
            StringBuilder perNode = new StringBuilder();
            for (int i = 0; i < NODES; i++) {
                long got = nodes.get(i).cluster.messagesReceived() - before[i];
                messages += got;
                woken += got > 0 ? 1 : 0;
                perNode.append(i == 0 ? "" : ",").append(got);
            }
            Footprint f = new Footprint(mode, woken, messages / (double) BROADCASTS,
                    ((bytes1 - bytes0) - (bytes2 - bytes1)) / (double) BROADCASTS,
                    ((repl1 - repl0) - (repl2 - repl1)) / (double) BROADCASTS);
            log.info("event=adapter_footprint mode={} nodes={} broadcasts={} payloadChars={} nodesWoken={} "
                            + "messagesPerNode=[{}] messagesPerBroadcast={} redisBytesOutPerBroadcast={} "
                            + "replicationBytesPerBroadcast={} idleBytesDuringWindow={}",
                    mode, NODES, BROADCASTS, PAYLOAD, woken, perNode, f.messagesPerBroadcast(),
                    Math.round(f.bytesOutPerBroadcast()), Math.round(f.replBytesPerBroadcast()), bytes2 - bytes1);
            client.disconnect();
            return f;
        } finally {
            nodes.forEach(ClusterNode::close);
        }
    }

    /** The total received count, read twice 200 ms apart until equal (no message still on its way). */
    private static long settle(List<ClusterNode> nodes) {
        long previous = -1;
        long now = nodes.stream().mapToLong(n -> n.cluster.messagesReceived()).sum();
        while (now != previous) {
            previous = now;
            pause();
            now = nodes.stream().mapToLong(n -> n.cluster.messagesReceived()).sum();
        }
        return now;
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
