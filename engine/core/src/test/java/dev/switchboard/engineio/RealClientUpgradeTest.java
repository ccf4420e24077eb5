package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.NodeProcess;
import dev.switchboard.testkit.RepoPaths;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The stock engine.io-client 6.x (Node), default path: long-polling, then upgrade to WebSocket, many times.
 * netty-socketio stalled in 10-25 % of such connects; here every one must upgrade, receive each server message
 * sent across the upgrade exactly once and in order, and echo over the WebSocket.
 */
class RealClientUpgradeTest {
    private static final int MESSAGES = 30;

    @Test
    void everyConnectUpgradesWithoutLossOrDuplication() throws Exception {
        runStress(200, List.of());
    }

    /** engine.io-client 3.5 (socket.io-client 2.x): Engine.IO v3 framing on polling, then the same upgrade. */
    @Test
    void engineIoV3ClientUpgradesToo() throws Exception {
        runStress(100, List.of("socket.io-client-v2/node_modules/engine.io-client"));
    }

    private void runStress(int connects, List<String> clientModule) throws Exception {
        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
        try (TestEngine engine = new TestEngine(TestEngine.fastOptions().build(), socket -> {
            AtomicInteger k = new AtomicInteger();
            // one message per millisecond from another thread, spanning the polling -> websocket switch
            sender.scheduleAtFixedRate(() -> {
                int n = k.getAndIncrement();
                if (n < MESSAGES) socket.send(EngineMessage.text("s" + n));
                else throw new IllegalStateException("done"); // ends this schedule
            }, 0, 1, TimeUnit.MILLISECONDS);
        })) {
            Path script = Path.of("src/test/resources/engineio/eio-upgrade-stress.mjs").toAbsolutePath();
            try (NodeProcess node = NodeProcess.start(RepoPaths.nodeDir(), script.toString(),
                    args(engine.port(), connects, clientModule), Map.of(), null)) {
                JsonNode result = node.awaitJsonLine(j -> j.has("done"), Duration.ofSeconds(120), "stress result");
                org.slf4j.LoggerFactory.getLogger(RealClientUpgradeTest.class).info("engine.io-client stress {}", result);
                assertThat(result.get("failures").size()).as(result.toString()).isZero();
                assertThat(result.get("stalls").asInt()).isZero();
                assertThat(result.get("orderErrors").asInt()).isZero();
                assertThat(result.get("echoErrors").asInt()).isZero();
                assertThat(result.get("binaryErrors").asInt()).isZero();
                assertThat(result.get("done").asInt()).isEqualTo(connects);
            }
        } finally {
            sender.shutdownNow();
        }
    }

    private static List<String> args(int port, int connects, List<String> clientModule) {
        List<String> args = new java.util.ArrayList<>(List.of("http://127.0.0.1:" + port, Integer.toString(connects), "4",
                Integer.toString(MESSAGES)));
        args.addAll(clientModule);
        return args;
    }
}
