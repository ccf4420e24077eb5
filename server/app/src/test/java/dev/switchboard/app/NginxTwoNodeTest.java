package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.FreePort;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;
import dev.switchboard.testkit.RepoPaths;
import dev.switchboard.testkit.Cleanup;

/**
 * Two nodes sharing Redis behind real nginx, configured by the shipped {@code ecosystem/nginx/switchboard.conf}
 * (only its listen address and upstream servers replaced): long-polling clients keep their sessions through the
 * sticky upstream, and a {@code POST /emit} made on either node reaches all of them.
 */
class NginxTwoNodeTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path CONF = RepoPaths.repoRoot().resolve("ecosystem/nginx/switchboard.conf");

    private static TwoNodeCluster cluster;
    private static SwitchboardServer nodeA;
    private static SwitchboardServer nodeB;
    private static Process nginx;
    private static Path nginxDir;
    private static int nginxPort;

    @BeforeAll
    static void start() throws Exception {
        cluster = TwoNodeCluster.start(Map.of("TRUST_PROXY", "true"));
        nodeA = cluster.nodeA();
        nodeB = cluster.nodeB();
        nginxPort = FreePort.find();
        nginxDir = Files.createTempDirectory("sb-nginx-");
        Files.writeString(nginxDir.resolve("nginx.conf"), nginxConf());
        nginx = new ProcessBuilder("nginx", "-p", nginxDir.toString(), "-c", nginxDir.resolve("nginx.conf").toString(),
                "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(nginxDir.resolve("stdout.log").toFile()).start();
        Await.until(NginxTwoNodeTest::nginxAnswers, WAIT, "nginx listening on " + nginxPort);
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            nginx.destroy();
            nginx.waitFor(10, TimeUnit.SECONDS);
        }
        Cleanup.closeAll(cluster);
    }

    @Test
    void pollingClientsThroughStickyNginxReceiveEmitsMadeOnEitherNode() {
        try (NodeClientDriver driver = NodeClientDriver.start()) {
            List<NodeSocket> clients = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                NodeSocket client = driver.connect("http://127.0.0.1:" + nginxPort, "/chat",
                        ClientOptions.defaults().transports("polling").reconnection(false));
                client.awaitConnect(WAIT);
                client.emitWithAck("join", WAIT, "deploy-3");
                clients.add(client);
            }
            assertThat(localChatSockets(nodeA) + localChatSockets(nodeB))
                    .as("every client holds one session on one node").isEqualTo(4);

            // both nodes connected and subscribed to Redis (a node publishes nothing until Redis answers)
            TwoNodeCluster.emitUntilReceived(nodeA,
                    "{\"namespace\":\"/chat\",\"room\":\"deploy-3\",\"event\":\"warm-a\"}", clients.get(0), "warm-a");
            TwoNodeCluster.emitUntilReceived(nodeB,
                    "{\"namespace\":\"/chat\",\"room\":\"deploy-3\",\"event\":\"warm-b\"}", clients.get(0), "warm-b");
            // one node's emit reaches the other's clients through Redis, after a local emit made at the same time
            // would: no order holds across nodes, so the second emit waits for the first to arrive everywhere
            Http.emit(nodeA, "{\"namespace\":\"/chat\",\"room\":\"deploy-3\",\"event\":\"step\",\"data\":1}");
            for (NodeSocket client : clients) {
                client.awaitEvent("step", args -> args.get(0).asInt() == 1, WAIT);
            }
            Http.emit(nodeB, "{\"namespace\":\"/chat\",\"room\":\"deploy-3\",\"event\":\"step\",\"data\":2}");
            for (NodeSocket client : clients) {
                client.awaitEvent("step", args -> args.get(0).asInt() == 2, WAIT);
                assertThat(client.events("step")).extracting(args -> args.get(0).asInt()).containsExactly(1, 2);
                assertThat(client.lifecycle("disconnect")).as("no session lost behind nginx").isEmpty();
            }
        }
    }

    /** Sockets this node holds itself (/stats counts the node's own, /health the cluster's). */
    private static int localChatSockets(SwitchboardServer node) {
        return Http.get(node.apiPort(), "/stats").json().path("namespaces").path("/chat").path("sockets").asInt();
    }

    private static boolean nginxAnswers() {
        if (!nginx.isAlive()) {
            throw new IllegalStateException("nginx exited: " + read(nginxDir.resolve("stdout.log"))
                    + read(nginxDir.resolve("error.log")));
        }
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", nginxPort), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The shipped server block, listening on loopback, with the two nodes as its upstream. */
    private static String nginxConf() throws IOException {
        String shipped = Files.readString(CONF)
                .replaceAll("(?m)^\\s*listen [^;]+;\\s*$", "")
                .replaceAll("(?m)^\\s*#?\\s*server \\S+:3007[^;]*;.*$", "")
                .replace("server_name _;", "server_name _;\n    listen 127.0.0.1:" + nginxPort + ";")
                .replace("hash $remote_addr consistent;", "hash $remote_addr consistent;\n"
                        + "    server 127.0.0.1:" + nodeA.wsPort() + ";\n    server 127.0.0.1:" + nodeB.wsPort() + ";");
        String dir = nginxDir.toString();
        return "pid " + dir + "/nginx.pid;\nerror_log " + dir + "/error.log warn;\nworker_processes 1;\n"
                + "events { worker_connections 256; }\n"
                + "http {\n  access_log off;\n  client_body_temp_path " + dir + "/body;\n  proxy_temp_path " + dir
                + "/proxy;\n  fastcgi_temp_path " + dir + "/fastcgi;\n  uwsgi_temp_path " + dir + "/uwsgi;\n"
                + "  scgi_temp_path " + dir + "/scgi;\n" + shipped + "\n}\n";
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
