package dev.switchboard.app.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.app.Http;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/**
 * The real server in a child JVM with the shipped JVM options, real socket.io-client connections: a storm of
 * connects followed by a quiet second makes exactly one concurrent cycle that gives the grown heap back; a trickle
 * of connects and emit traffic never counts as a storm; a second storm within the interval is not trimmed.
 */
class HeapTrimAfterBurstTest {
    /** The shipped options (ecosystem/systemd/switchboard.service) and a metaspace large enough that class loading
     *  in the first connects starts no marking cycle of its own (it would give the inflated heap back first). */
    private static final List<String> JVM = List.of("-Xms64m", "-Xmx512m", "-XX:+UseG1GC", "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=20", "-XX:G1PeriodicGCInterval=30000", "-XX:+ExplicitGCInvokesConcurrent",
            "-XX:+ExitOnOutOfMemoryError", "-XX:MetaspaceSize=256m");
    private static final int STORM_MIN = 40; // HEAP_TRIM_BURST_CONNECTIONS: quiet below 2 connects a second
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern TRIMMED = Pattern.compile(
            "heap trimmed committedBeforeMiB=(\\d+) committedAfterMiB=(\\d+) .* connects=(\\d+)");

    private ChildServer child;

    @AfterEach
    void stopChild() throws Exception {
        if (child != null) {
            child.close();
        }
    }

    @Test
    void aStormThenAQuietSecondTrimsOnceAndGivesTheHeapBackAndTheNextStormWithinTheIntervalIsNotTrimmed()
            throws Exception {
        int[] ports = startChild();
        try (NodeClientDriver driver = NodeClientDriver.start()) {
            inflate();

            storm(driver, ports[0], 60);
            String trimmed = await("heap trimmed");
            Matcher m = TRIMMED.matcher(trimmed);
            assertThat(m.find()).as(trimmed).isTrue();
            long before = Long.parseLong(m.group(1));
            long after = Long.parseLong(m.group(2));
            assertThat(before).as(trimmed).isGreaterThan(150);
            assertThat(after).as("committed heap after the trim: " + trimmed).isLessThan(before - 64);
            assertThat(Long.parseLong(m.group(3))).as(trimmed).isBetween(60L, 62L); // + what opened just before

            inflate();
            storm(driver, ports[0], 60);
            await("heap trim skipped reason=rate_limited");
            assertThat(count("heap trimmed")).as(String.join("\n", child.lines())).isEqualTo(1);
            assertThat(Http.get(ports[1], "/metrics").body()).contains("switchboard_heap_trims_total 1.0");
        }
    }

    @Test
    void aTrickleOfConnectsWithEmitTrafficIsNoStormOnlyTheStormAfterItIsTrimmed() throws Exception {
        int[] ports = startChild();
        try (NodeClientDriver driver = NodeClientDriver.start()) {
            inflate();
            int trickle = 24;
            for (int i = 0; i < trickle; i++) { // one connect every 600 ms: at most 2 in any second
                long next = System.nanoTime() + 600_000_000L;
                NodeSocket socket = connect(driver, ports[0]);
                socket.awaitConnect(WAIT);
                for (int e = 0; e < 20; e++) {
                    assertThat(Http.post(ports[1], "/emit",
                            "{\"namespace\":\"/echo\",\"event\":\"tick\",\"data\":" + e + "}").status()).isEqualTo(200);
                }
                Await.until(() -> System.nanoTime() >= next, WAIT, "next connect of the trickle");
            }
            assertThat(child.lines()).as("no storm seen in the trickle").noneMatch(line -> line.contains("heap trim"));

            storm(driver, ports[0], STORM_MIN);
            String trimmed = await("heap trimmed");
            Matcher m = TRIMMED.matcher(trimmed);
            assertThat(m.find()).as(trimmed).isTrue();
            // the storm alone: the trickle's connects did not add up to it
            assertThat(Long.parseLong(m.group(3))).as(trimmed).isBetween((long) STORM_MIN, (long) STORM_MIN + 2);
            assertThat(count("heap trim")).isEqualTo(1);
        }
    }

    /** Connects {@code count} real clients as fast as the driver goes, each awaited. */
    private static void storm(NodeClientDriver driver, int wsPort, int count) {
        List<NodeSocket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sockets.add(connect(driver, wsPort));
        }
        sockets.forEach(socket -> socket.awaitConnect(WAIT));
    }

    private static NodeSocket connect(NodeClientDriver driver, int wsPort) {
        return driver.connect("http://127.0.0.1:" + wsPort, "/echo",
                ClientOptions.defaults().forceNew(true).transports("websocket").reconnection(false));
    }

    private int[] startChild() throws IOException {
        child = ChildServer.start(JVM, Map.of("HEAP_TRIM_BURST_CONNECTIONS", Integer.toString(STORM_MIN)));
        return new int[] {child.wsPort(), child.apiPort()};
    }

    /** Grows the child's committed heap, holding little in it, as a storm leaves it. */
    private void inflate() throws IOException {
        command("inflate", "child inflated");
        assertThat(mib("child inflated committedMiB=(\\d+)")).as("committed heap").isGreaterThan(150);
        assertThat(mib("child inflated committedMiB=\\d+ retainedMiB=(\\d+)")).as("retained heap").isLessThan(64);
    }

    private void command(String line, String answer) throws IOException {
        child.command(line, answer);
    }

    private long mib(String regex) {
        return child.lastNumber(regex);
    }

    private String await(String fragment) {
        return child.await(fragment);
    }

    private long count(String fragment) {
        return child.count(fragment);
    }
}
