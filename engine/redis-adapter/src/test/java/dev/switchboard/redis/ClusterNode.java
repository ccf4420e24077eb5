package dev.switchboard.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/**
 * One Switchboard node for the tests: a real SocketIoServer on a free loopback port with its own
 * {@link RedisCluster}. Every namespace answers {@code join}/{@code leave} (arg: room) and
 * {@code emit-to} ({room, except, event, data}) so tests drive rooms and broadcasts from real clients.
 */
final class ClusterNode implements AutoCloseable {
    final RedisCluster cluster;
    final SocketIoServer io;
    final Map<String, String> disconnectReasons = new ConcurrentHashMap<>();

    ClusterNode(RedisSettings settings, String... namespaces) {
        cluster = RedisCluster.start(settings);
        io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build())
                .adapter(cluster.adapterFactory())
                .build();
        declare("/");
        for (String nsp : namespaces) {
            declare(nsp);
        }
        io.start();
    }

    private void declare(String name) {
        io.of(name).onConnection(socket -> {
            socket.on("join", ev -> {
                socket.join(ev.arg(0).asText());
                ev.ack("joined");
            });
            socket.on("leave", ev -> {
                socket.leave(ev.arg(0).asText());
                ev.ack("left");
            });
            socket.onDisconnect(reason -> disconnectReasons.put(socket.id(), reason));
        });
    }

    String url() {
        return "http://127.0.0.1:" + io.port();
    }

    Namespace ns(String name) {
        return io.of(name);
    }

    Socket socket(String nsp, String id) {
        return io.of(nsp).socket(id);
    }

    /** A real socket.io-client connected to a namespace of this node (no reconnection). */
    NodeSocket connect(NodeClientDriver driver, String namespace, Duration timeout) {
        NodeSocket socket = driver.connect(url(), namespace, ClientOptions.defaults().reconnection(false));
        socket.awaitConnect(timeout);
        return socket;
    }

    ClusterNode awaitHealthy(Duration timeout) {
        Await.until(cluster::healthy, timeout, "node " + cluster.nodeId() + " connected to Redis");
        return this;
    }

    /** Closes like the app does: the server first (sockets leave), then the cluster (its state leaves Redis). */
    @Override
    public void close() {
        io.close(Duration.ofSeconds(2));
        cluster.close();
    }
}
