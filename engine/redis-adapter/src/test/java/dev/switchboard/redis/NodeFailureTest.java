package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/** A node killed without cleanup, Redis killed and restarted under running nodes, a node started while Redis is down. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NodeFailureTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration HEARTBEAT = Duration.ofMillis(200);

    private static NodeClientDriver driver;
    private RedisServer redis;
    private final List<AutoCloseable> open = new java.util.ArrayList<>();

    @BeforeAll
    static void startDriver() {
        driver = NodeClientDriver.start();
    }

    @AfterAll
    static void stopDriver() {
        driver.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private RedisSettings settings(String prefix) {
        return RedisSettings.defaults().withUrl(redis.url()).withPrefix(prefix).withHeartbeatInterval(HEARTBEAT);
    }

    private ClusterNode node(RedisSettings settings) {
        ClusterNode node = new ClusterNode(settings, "/mcp");
        open.add(node);
        return node;
    }

    private NodeSocket connect(String url) {
        NodeSocket socket = driver.connect(url, "/mcp", ClientOptions.defaults().transports("websocket").reconnection(false));
        socket.awaitConnect(WAIT);
        return socket;
    }

    @Test
    void aKilledNodesSocketsLeaveTheCountsWithinThreeHeartbeats() throws Exception {
        redis = RedisServer.start();
        ClusterNode a = node(settings("sbkill")).awaitHealthy(WAIT);
        Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ClusterNodeMain.class.getName(),
                redis.url(), "sbkill", Long.toString(HEARTBEAT.toMillis())))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        open.add(child::destroyForcibly);
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                String l;
                while ((l = out.readLine()) != null && !l.startsWith("{\"port\"")) {
                    // skip
                }
                return l;
            } catch (java.io.IOException e) {
                return null;
            }
        }).get(60, TimeUnit.SECONDS);
        assertThat(line).as("child node started").isNotNull();
        JsonNode hello = NodeScripts.JSON.readTree(line);
        String url = "http://127.0.0.1:" + hello.path("port").asInt();
        String killed = hello.path("node").asText();

        connect(url).emitWithAck("join", WAIT, "doomed");
        connect(url);
        connect(a.url());
        Await.until(() -> a.cluster.view().connections("/mcp") == 3 && a.cluster.view().nodes().contains(killed),
                WAIT, "node A counts the child's 2 sockets");
        assertThat(a.cluster.view().rooms("/mcp")).containsEntry("doomed", 1L);

        child.destroyForcibly(); // SIGKILL: no disconnect handlers, no cleanup, state left in Redis
        long killedAt = System.nanoTime();
        child.waitFor(10, TimeUnit.SECONDS);
        Await.until(() -> a.cluster.view().connections("/mcp") == 1, WAIT, "the killed node's sockets leave the count");
        long tookMs = (System.nanoTime() - killedAt) / 1_000_000;
        long boundMs = a.cluster.settings().nodeTtl().toMillis();
        // 3 heartbeats plus slack for a loaded machine: the kill, the reaping of the child and each poll of the view
        // (Redis round trips) may each be descheduled for a while; a node never aged out would stay until WAIT
        assertThat(tookMs).as("gone within 3 heartbeats (+ scheduling slack)").isLessThanOrEqualTo(boundMs + 3_000);
        assertThat(a.cluster.view().nodes()).doesNotContain(killed);
        assertThat(a.cluster.view().rooms("/mcp")).doesNotContainKey("doomed");
        Await.until(() -> redis.commands().keys("sbkill-switchboard#node#" + killed + "*").isEmpty(), WAIT,
                "the killed node's keys expired");
    }

    @Test
    void redisRestartedUnderRunningNodesDegradesThenRecoversAndDeliveryResumes() {
        redis = RedisServer.start();
        Logger clusterLog = (Logger) LoggerFactory.getLogger(RedisCluster.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        clusterLog.addAppender(logs);
        open.add(() -> clusterLog.detachAppender(logs));
        ClusterNode a = node(settings("sbrestart")).awaitHealthy(WAIT);
        ClusterNode b = node(settings("sbrestart")).awaitHealthy(WAIT);
        NodeSocket a1 = connect(a.url());
        NodeSocket b1 = connect(b.url());
        a1.emitWithAck("join", WAIT, "r");
        b1.emitWithAck("join", WAIT, "r");
        b.ns("/mcp").to("r").emit("before", 1);
        a1.awaitEvent("before", WAIT);

        redis.kill();
        Await.until(() -> a.cluster.status() == RedisStatus.DEGRADED && b.cluster.status() == RedisStatus.DEGRADED,
                WAIT, "both nodes report degraded");
        // local sockets are still served, at once, and cluster reads fail fast instead of hanging
        long start = System.nanoTime();
        assertThat(b.ns("/mcp").to("r").emit("local-only", 2)).isEqualTo(1);
        // a command waiting on Redis would take at least the request timeout; anything below it did not wait
        assertThat((System.nanoTime() - start) / 1_000_000).as("local emit does not wait on Redis")
                .isLessThan(b.cluster.settings().requestTimeout().toMillis());
        b1.awaitEvent("local-only", WAIT);
        assertThatThrownBy(() -> a.cluster.view().connections("/mcp")).isInstanceOf(ClusterUnavailableException.class);
        assertThat(a.cluster.operations().remoteJoin("/mcp", "nobody", "x")).succeedsWithin(WAIT).isEqualTo(false);
        Await.until(() -> b.cluster.publishDropped() > 0, WAIT, "publish dropped while down");

        redis.restart();
        Await.until(() -> a.cluster.healthy() && b.cluster.healthy(), Duration.ofSeconds(15), "both nodes ok again");
        // delivery resumes (re-subscribed); emit until the first arrives, bounded
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (a1.events("after").isEmpty() && System.nanoTime() < deadline) {
            b.ns("/mcp").to("r").emit("after", 3);
            try {
                a1.awaitEvent("after", Duration.ofMillis(200));
            } catch (AssertionError notYet) {
                // next round
            }
        }
        assertThat(a1.events("after")).isNotEmpty();
        // the state lost with Redis is rewritten
        Await.until(() -> a.cluster.view().connections("/mcp") == 2, WAIT, "counts rebuilt after the restart");

        long degradedLines = logs.list.stream().filter(e -> e.getFormattedMessage().contains("event=redis_degraded")
                && e.getFormattedMessage().contains(a.cluster.nodeId())).count();
        long recoveredLines = logs.list.stream().filter(e -> e.getFormattedMessage().contains("event=redis_recovered")
                && e.getFormattedMessage().contains(a.cluster.nodeId())).count();
        assertThat(degradedLines).as("logged once per outage").isEqualTo(1);
        assertThat(recoveredLines).isEqualTo(1);
    }

    @Test
    void aNodeStartedWhileRedisIsDownServesLocallyAndJoinsWhenRedisComesUp() {
        redis = RedisServer.start();
        redis.kill();
        ClusterNode a = node(settings("sblate"));
        assertThat(a.cluster.status()).isEqualTo(RedisStatus.DEGRADED);
        NodeSocket a1 = connect(a.url());
        a.ns("/mcp").emit("local", 1);
        a1.awaitEvent("local", WAIT);

        redis.restart();
        a.awaitHealthy(Duration.ofSeconds(15));
        Await.until(() -> a.cluster.view().connections("/mcp") == 1, WAIT, "state written once connected");
        ClusterNode b = node(settings("sblate")).awaitHealthy(WAIT);
        b.ns("/mcp").emit("remote", 2);
        a1.awaitEvent("remote", WAIT);
    }
}
