package dev.switchboard.app.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.switchboard.app.Http;
import dev.switchboard.testkit.RawWebSocket;

/**
 * Many clients that never read, each sent replies unique to it (the {@code /echo} namespace answers an event of
 * ~480 KB with two messages of that size), against the real server in a child JVM with little memory. Each client
 * alone stays under the 8 MiB per-connection bound; together they would take more memory than the JVM has (32 × 8 MiB
 * against 128 MiB of direct memory, 24 × 8 MiB against 160 MiB of heap). The
 * connections holding the most are cut when the JVM runs short, a client that reads keeps being served, and no
 * allocation fails (the shipped {@code ExitOnOutOfMemoryError} would end the process on a heap one).
 *
 * <p>The WebSocket flood is paced ({@link #ROUND_NANOS}): unpaced, 24 connections writing ~480 KB events as fast as
 * they could, the events waiting to be read held Netty's pooled direct buffers, the pool kept what it grew to
 * (~100 of the 128 MiB in CI), and memory ran out after every flooding connection was cut. That is inbound memory
 * summed over connections, an open limit in docs/security.md, not what this test is about.
 */
@Timeout(value = 150, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OutboundMemoryShedTest {
    private static final List<String> SHIPPED = List.of("-XX:+UseG1GC", "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=20", "-XX:+ExplicitGCInvokesConcurrent", "-XX:+ExitOnOutOfMemoryError");
    private static final String ECHO = echo(480_000);
    /** One event per WebSocket client every 200 ms: a flood the server reads as it comes (see the class comment). */
    private static final long ROUND_NANOS = 200_000_000L;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void webSocketClientsReadingNothingAreCutBeforeDirectMemoryRunsOut() throws Exception {
        try (ChildServer child = ChildServer.start(jvm("-Xmx256m", "-XX:MaxDirectMemorySize=128m"), Map.of())) {
            RawWebSocket reader = joinEcho(RawWebSocket.to(child.wsPort()).answerEnginePings().open());
            List<RawWebSocket> silent = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                RawWebSocket ws = RawWebSocket.to(child.wsPort()).receiveBuffer(4096).open();
                ws.sendText("40/echo,");
                silent.add(ws);
            }
            // round robin: every silent client grows at once (one after the other, each would only meet its own bound)
            for (int round = 0; round < 16 && child.count("event=memory_shed cut=") == 0; round++) {
                long next = System.nanoTime() + ROUND_NANOS;
                for (RawWebSocket ws : silent) {
                    sendIgnoringClosed(ws);
                }
                LockSupport.parkNanos(next - System.nanoTime()); // pacing the load, not waiting for a result
            }
            assertCutBeforeAnythingRanOut(child, reader);
            assertThat(child.count("event=memory_shed session=")).as("silent connections cut").isBetween(1L, 32L);
            for (RawWebSocket ws : silent) {
                ws.close();
            }
            reader.close();
        }
    }

    @Test
    void pollingClientsThatNeverPollAreCutBeforeTheHeapRunsOut() throws Exception {
        try (ChildServer child = ChildServer.start(jvm("-Xmx160m"), Map.of())) {
            RawWebSocket reader = joinEcho(RawWebSocket.to(child.wsPort()).answerEnginePings().open());
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = "http://127.0.0.1:" + child.wsPort() + "/socket.io/?EIO=4&transport=polling";
            List<String> sids = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String open = http.send(HttpRequest.newBuilder(URI.create(base)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                Matcher sid = Pattern.compile("\"sid\":\"([^\"]+)\"").matcher(open);
                assertThat(sid.find()).as(open).isTrue();
                sids.add(sid.group(1));
                post(http, base + "&sid=" + sid.group(1), "40/echo,");
            }
            // never polled again: every reply waits in the session's queue, on the heap
            for (int round = 0; round < 16 && child.count("event=memory_shed cut=") == 0; round++) {
                for (String sid : sids) {
                    post(http, base + "&sid=" + sid, ECHO);
                }
            }
            assertCutBeforeAnythingRanOut(child, reader);
            assertThat(child.count("event=memory_shed session=")).as("silent sessions cut").isBetween(1L, 24L);
            reader.close();
        }
    }

    private static String echo(int size) {
        return "42/echo,[\"echo\",\"" + "x".repeat(size) + "\"]";
    }

    private static List<String> jvm(String... limits) {
        List<String> options = new ArrayList<>(List.of(limits));
        options.addAll(SHIPPED);
        return options;
    }

    private static RawWebSocket joinEcho(RawWebSocket ws) throws IOException {
        ws.awaitOpen();
        ws.sendText("40/echo,");
        ws.takeJson(m -> m.isTextual() && m.asText().startsWith("40/echo,"), WAIT);
        return ws;
    }

    /** The flood is still being answered after it was sent: what comes first, a cut or a failed allocation. */
    private static void assertCutBeforeAnythingRanOut(ChildServer child, RawWebSocket reader) throws IOException {
        String first = child.awaitFirst(List.of("event=memory_shed cut=", "OutOfMemoryError"));
        child.withOutput(() -> assertThat(first).as("first of a cut and a failed allocation")
                .contains("event=memory_shed cut="));
        reader.sendText("42/echo,[\"echo\",\"still here\"]");
        reader.takeJson(m -> m.isTextual() && m.asText().contains("\"echoed\",\"still here\""), WAIT);
        child.withOutput(() -> assertThat(child.lines()).as("no allocation failed")
                .noneMatch(line -> line.contains("OutOfMemoryError")));
        String metrics = Http.get(child.apiPort(), "/metrics").body();
        Matcher shed = Pattern.compile("switchboard_memory_shed_connections_total ([0-9.]+)").matcher(metrics);
        assertThat(shed.find()).as(metrics).isTrue();
        assertThat(Double.parseDouble(shed.group(1))).as("counted for operators").isGreaterThanOrEqualTo(1);
    }

    /** A client the server already cut may find its connection reset: that is the point. */
    private static void sendIgnoringClosed(RawWebSocket ws) {
        try {
            ws.sendText(ECHO);
        } catch (IOException e) {
            // cut
        }
    }

    /** A server that ended answers nothing: the assertions after the flood say why. */
    private static void post(HttpClient http, String url, String body) throws InterruptedException {
        try {
            http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "text/plain;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // gone
        }
    }
}
