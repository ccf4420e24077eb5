package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.socketio.Socket;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/**
 * What one membership change costs Redis: a node's state hash (one field per room with members) must not be
 * rewritten whole on every join or leave, or a client churning one room at its event rate makes the node send
 * Redis all its rooms up to ten times a second. Counted with Redis's own INFO commandstats (HSET and HDEL calls,
 * those made by the node's scripts included), on a real redis-server and the real socket.io-client.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NodeStateWriteTest {
    private static final Logger log = LoggerFactory.getLogger(NodeStateWriteTest.class);
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int HELD_ROOMS = 2_000;
    private static final int CHURN = 10;

    @Test
    void aJoinOrLeaveWritesOnlyTheRoomsItChangedNotEveryRoomOfTheNode() throws Exception {
        try (NodeClientDriver driver = NodeClientDriver.start(); RedisServer redis = RedisServer.start()) {
            // no heartbeat during the measurement: what is counted is what the membership changes wrote
            RedisSettings settings = RedisSettings.defaults().withUrl(redis.url())
                    .withHeartbeatInterval(Duration.ofMinutes(5));
            try (ClusterNode node = new ClusterNode(settings, "/mcp").awaitHealthy(WAIT)) {
                NodeSocket holder = node.connect(driver, "/mcp", WAIT);
                NodeSocket churner = node.connect(driver, "/mcp", WAIT);
                Socket held = node.ns("/mcp").sockets().stream()
                        .filter(s -> s.id().equals(holder.state().path("sid").asText())).findFirst().orElseThrow();
                for (int i = 0; i < HELD_ROOMS; i++) {
                    held.join("held-" + i);
                }
                Await.until(() -> node.cluster.view().rooms("/mcp").size() == HELD_ROOMS, WAIT,
                        "the node's " + HELD_ROOMS + " rooms in its Redis state");
                long before = hashWrites(redis);

                for (int i = 0; i < CHURN; i++) { // each change written before the next: one state write each
                    String room = "churn-" + i;
                    churner.emitWithAck("join", WAIT, room);
                    Await.until(() -> node.cluster.view().rooms("/mcp").containsKey(room), WAIT, room + " written");
                    churner.emitWithAck("leave", WAIT, room);
                    Await.until(() -> !node.cluster.view().rooms("/mcp").containsKey(room), WAIT, room + " removed");
                }
                churner.emitWithAck("join", WAIT, "last");
                Await.until(() -> node.cluster.view().rooms("/mcp").containsKey("last"), WAIT, "the last join written");
                long writes = hashWrites(redis) - before;
                log.info("event=node_state_writes heldRooms={} membershipChanges={} hashFieldWrites={}",
                        HELD_ROOMS, 2 * CHURN + 1, writes);

                assertThat(writes).as("hash field writes for %d membership changes next to %d held rooms",
                        2 * CHURN + 1, HELD_ROOMS).isLessThan(HELD_ROOMS);
                Map<String, Long> rooms = node.cluster.view().rooms("/mcp");
                assertThat(rooms).hasSize(HELD_ROOMS + 1).containsEntry("last", 1L).containsEntry("held-7", 1L)
                        .doesNotContainKey("churn-0");

                holder.disconnect();
                Await.until(() -> node.cluster.view().rooms("/mcp").keySet().equals(java.util.Set.of("last")), WAIT,
                        "the holder's rooms gone from the state with it");
                churner.disconnect();
                Await.until(() -> node.cluster.view().connections("/mcp") == 0 && node.cluster.view().rooms("/mcp").isEmpty(),
                        WAIT, "an empty namespace leaves no state");
            }
        }
    }

    /** HSET and HDEL calls Redis has executed (scripts' calls included). */
    private static long hashWrites(RedisServer redis) {
        String stats = redis.commands().info("commandstats");
        return calls(stats, "hset") + calls(stats, "hdel");
    }

    private static long calls(String stats, String command) {
        Matcher m = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(stats);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
