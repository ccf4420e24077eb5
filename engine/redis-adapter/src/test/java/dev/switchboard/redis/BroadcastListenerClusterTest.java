package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.socketio.BroadcastListener;
import dev.switchboard.socketio.BroadcastOptions;
import dev.switchboard.socketio.BroadcastPacket;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.testkit.Await;

/**
 * The engine's {@link BroadcastListener} on Redis-backed nodes (real redis-server): broadcasts arriving from
 * another node reach the listener, once; a one-room broadcast for a room without local sockets is delivered when
 * the listener wants the room and still skipped when it does not.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BroadcastListenerClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static RedisServer redis;
    private static Node a;
    private static Node b;

    /** Records "namespace event rooms" of every broadcast; wants the room "wanted" only. */
    private static final class Recorder implements BroadcastListener {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void onBroadcast(BroadcastPacket packet, BroadcastOptions options) {
            seen.add(packet.namespace() + " " + packet.event() + " " + options.rooms());
        }

        @Override
        public boolean wantsRoom(String room) {
            return "wanted".equals(room);
        }
    }

    /** A SocketIoServer with its RedisCluster and a recording listener on /mcp. */
    private record Node(RedisCluster cluster, SocketIoServer io, Recorder mcp) implements AutoCloseable {
        static Node start(RedisSettings settings) {
            RedisCluster cluster = RedisCluster.start(settings);
            Recorder recorder = new Recorder();
            SocketIoServer io = SocketIoServer.builder()
                    .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build())
                    .adapter(cluster.adapterFactory())
                    .broadcastListener(namespace -> "/mcp".equals(namespace) ? recorder : null)
                    .build();
            io.of("/mcp");
            io.start();
            Await.until(cluster::healthy, WAIT, "node connected to Redis");
            return new Node(cluster, io, recorder);
        }

        @Override
        public void close() {
            io.close(Duration.ofSeconds(2));
            cluster.close();
        }
    }

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        RedisSettings settings = RedisSettings.defaults().withUrl(redis.url()).withPrefix("sblistener")
                .withHeartbeatInterval(Duration.ofMillis(300));
        a = Node.start(settings);
        b = Node.start(settings);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {a, b, redis}) {
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
    void aOneRoomBroadcastFromAnotherNodeReachesTheListenerOnlyWhenItWantsTheRoom() {
        // no socket anywhere: only A's listener can want these rooms; Redis keeps the publish order
        b.io().of("/mcp").to("unwanted").emit("skipped", 1);
        b.io().of("/mcp").to("wanted").emit("kept", 2);

        Await.until(() -> a.mcp().seen.contains("/mcp kept [wanted]"), WAIT, "A's listener seeing the wanted room");
        assertThat(a.mcp().seen).as("the unwanted room, published first, was skipped")
                .doesNotContain("/mcp skipped [unwanted]");
        assertThat(b.mcp().seen).as("B's listener saw its own broadcasts")
                .contains("/mcp skipped [unwanted]", "/mcp kept [wanted]");
    }

    @Test
    void namespaceWideAndMultiRoomBroadcastsArriveOnceAndOwnOnesAreNotRepeated() {
        b.io().of("/mcp").emit("everyone", 1);
        b.io().of("/mcp").to("r1", "r2").emit("two-rooms", 2);
        a.io().of("/mcp").to("wanted").emit("from-a", 3);
        b.io().of("/mcp").to("wanted").emit("marker", 4); // after the others on B's connection

        Await.until(() -> a.mcp().seen.contains("/mcp marker [wanted]")
                        && b.mcp().seen.contains("/mcp from-a [wanted]"), WAIT, "both listeners up to date");
        assertThat(a.mcp().seen).containsOnlyOnce("/mcp everyone []", "/mcp from-a [wanted]");
        assertThat(a.mcp().seen).filteredOn(s -> s.startsWith("/mcp two-rooms ")).hasSize(1);
        assertThat(b.mcp().seen).containsOnlyOnce("/mcp everyone []", "/mcp from-a [wanted]");
        assertThat(Set.copyOf(b.mcp().seen)).as("no broadcast seen twice on B").hasSameSizeAs(b.mcp().seen);
    }
}
