package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.redis.RedisSettings.SubscriptionMode;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/**
 * The master serving a room's shard channel is killed (SIGKILL) while a node broadcasts to that room every 50 ms:
 * its replica takes over, the subscriber's channel moves to it and delivery resumes within a bounded time; the
 * client stays connected; after the window nothing is lost. What is lost is the broadcasts published during the
 * window (at most once: no buffering or replay across a failover), counted and printed.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ShardedFailoverTest {
    private static final Logger log = LoggerFactory.getLogger(ShardedFailoverTest.class);
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Node timeout 1 s + election + Lettuce's 1 s topology refresh, with room to spare on a loaded machine. */
    private static final Duration RESUME_BOUND = Duration.ofSeconds(15);
    private static final String ROOM = "failover-room";

    private RedisClusterServer redis;
    private NodeClientDriver driver;
    private ClusterNode sender;
    private ClusterNode member;

    @AfterEach
    void stop() {
        for (AutoCloseable closeable : new AutoCloseable[]{sender, member, driver, redis}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // keep closing the others
            }
        }
    }

    @Test
    void aKilledMasterFailsOverAndDeliveryResumes() {
        redis = RedisClusterServer.start();
        driver = NodeClientDriver.start();
        RedisSettings settings = ShardedAdapterTest.sharded(redis.seedUrl(), SubscriptionMode.DYNAMIC);
        sender = new ClusterNode(settings, "/mcp").awaitHealthy(WAIT);
        member = new ClusterNode(settings, "/mcp").awaitHealthy(WAIT);
        NodeSocket client = member.connect(driver, "/mcp", WAIT);
        client.emitWithAck("join", WAIT, ROOM);
        Await.until(member.cluster::subscriptionsPlaced, WAIT, "room channel subscribed");

        int seq = 0;
        for (; seq < 10; seq++) {
            sender.ns("/mcp").to(ROOM).emit("seq", seq);
        }
        client.awaitEvents("seq", 10, WAIT);

        int master = redis.masterOf("socket.io#/mcp#" + ROOM + "#");
        long killedAt = System.nanoTime();
        redis.kill(master);
        int firstAfterKill = seq;
        long deadline = killedAt + RESUME_BOUND.toNanos();
        long resumedAt = 0;
        while (System.nanoTime() < deadline) { // a sender pacing its broadcasts, not a wait: the check is the event
            sender.ns("/mcp").to(ROOM).emit("seq", seq++);
            if (!client.events("seq").isEmpty() && lastSeq(client) >= firstAfterKill) {
                resumedAt = System.nanoTime();
                break;
            }
            pause(50);
            if (seq % 20 == 0) {
                log.info("event=failover_progress slotMaster={} placed={}", safeMaster(), member.cluster.subscriptionsPlaced());
            }
        }
        assertThat(resumedAt).as("delivery resumed within %s after master %d was killed (the slot's master now: %s)",
                RESUME_BOUND, master, safeMaster()).isPositive();
        int sentInWindow = seq - firstAfterKill;

        Await.until(() -> member.cluster.healthy() && sender.cluster.healthy(), WAIT, "both nodes healthy again");
        int afterWindow = seq;
        for (int i = 0; i < 20; i++) {
            sender.ns("/mcp").to(ROOM).emit("seq", seq++);
        }
        int expectedAfter = seq - afterWindow;
        Await.until(() -> received(client).containsAll(range(afterWindow, afterWindow + expectedAfter)), WAIT,
                "every broadcast after the window delivered");

        Set<Integer> got = received(client);
        long lostInWindow = range(firstAfterKill, afterWindow).stream().filter(i -> !got.contains(i)).count();
        assertThat(client.lifecycle("disconnect")).as("the client stays connected").isEmpty();
        assertThat(got).containsAll(range(0, 10));
        log.info("event=failover_measured master={} resumedMs={} sentInWindow={} lostInWindow={} droppedBySender={}",
                master, (resumedAt - killedAt) / 1_000_000, sentInWindow, lostInWindow, sender.cluster.publishDropped());
        client.disconnect();
    }

    private String safeMaster() {
        try {
            return Integer.toString(redis.masterOf("socket.io#/mcp#" + ROOM + "#"));
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    private static int lastSeq(NodeSocket client) {
        List<JsonNode> events = client.events("seq");
        return events.get(events.size() - 1).get(0).asInt();
    }

    private static Set<Integer> received(NodeSocket client) {
        Set<Integer> seqs = new HashSet<>();
        client.events("seq").forEach(e -> seqs.add(e.get(0).asInt()));
        return seqs;
    }

    private static Set<Integer> range(int from, int to) {
        Set<Integer> out = new HashSet<>();
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
