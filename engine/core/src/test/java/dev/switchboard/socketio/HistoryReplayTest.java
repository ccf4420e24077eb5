package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/** Per-room history: replay on join, with and without {@code since}, then live events exactly once. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HistoryReplayTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void joinReplaysTheLastEventsThenLiveOnesWithoutGapOrDuplicate() {
        try (SocketIoServer io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build()).build();
             NodeClientDriver driver = NodeClientDriver.start()) {
            Namespace ns = io.of("/hist").history("thread-.*", 5, Duration.ofMinutes(10));
            ns.onConnection(socket -> socket.on("join", ev -> {
                String since = ev.arg(1).isTextual() ? ev.arg(1).textValue() : null;
                socket.requestOffsets(); // these clients resume from offsets
                try {
                    HistoryReplay replay = ns.replayHistory(socket, ev.arg(0).asText(), since);
                    ev.ack(Map.of("replayed", replay.replayed(), "complete", replay.complete()));
                } catch (IllegalArgumentException bad) {
                    ev.ack(Map.of("error", bad.getMessage()));
                }
            }));
            io.start();
            assertThat(ns.hasHistory("thread-1")).isTrue();
            assertThat(ns.hasHistory("other")).isFalse();
            for (int i = 0; i < 8; i++) {
                ns.to("thread-1").emit("msg", i); // before anyone is in the room
            }
            ns.to("other").emit("msg", "not kept");
            String url = "http://127.0.0.1:" + io.port();
            ClientOptions opts = ClientOptions.defaults().transports("websocket").reconnection(false);

            NodeSocket first = driver.connect(url, "/hist", opts);
            first.awaitConnect(WAIT);
            JsonNode ack = first.emitWithAck("join", WAIT, "thread-1");
            assertThat(ack.get(0).path("replayed").asInt()).isEqualTo(5);
            assertThat(ack.get(0).path("complete").asBoolean()).isFalse(); // 0..2 were dropped (lastN = 5)
            List<JsonNode> history = first.awaitEvents("msg", 5, WAIT);
            assertThat(history).extracting(a -> a.get(0).asInt()).containsExactly(3, 4, 5, 6, 7);
            String offsetOf5 = history.get(2).get(1).asText();

            NodeSocket second = driver.connect(url, "/hist", opts);
            second.awaitConnect(WAIT);
            JsonNode ack2 = second.emitWithAck("join", WAIT, "thread-1", offsetOf5);
            assertThat(ack2.get(0).path("replayed").asInt()).isEqualTo(2);
            assertThat(ack2.get(0).path("complete").asBoolean()).isTrue();
            assertThat(second.awaitEvents("msg", 2, WAIT)).extracting(a -> a.get(0).asInt()).containsExactly(6, 7);

            NodeSocket third = driver.connect(url, "/hist", opts);
            third.awaitConnect(WAIT);
            String tooOld = history.get(0).get(1).asText(); // offset of 3: 4..7 kept, nothing lost after it
            assertThat(third.emitWithAck("join", WAIT, "thread-1", tooOld).get(0).path("complete").asBoolean()).isTrue();
            String epoch = tooOld.substring(tooOld.indexOf('-'));
            assertThat(third.emitWithAck("join", WAIT, "thread-1", "1" + epoch).get(0).path("complete").asBoolean())
                    .as("offset 1 is older than what is kept").isFalse();
            assertThat(third.emitWithAck("join", WAIT, "thread-1", "5-zzzzzzzz").get(0).path("complete").asBoolean())
                    .as("an offset of another process (before a restart)").isFalse();
            assertThat(third.emitWithAck("join", WAIT, "thread-1", "not-an-offset").get(0).path("error").asText())
                    .contains("since must be an offset");

            ns.to("thread-1").emit("msg", 8);
            assertThat(first.awaitEvents("msg", 6, WAIT)).extracting(a -> a.get(0).asInt()).containsExactly(3, 4, 5, 6, 7, 8);
            assertThat(second.awaitEvents("msg", 3, WAIT)).extracting(a -> a.get(0).asInt()).containsExactly(6, 7, 8);
            first.emitWithAck("join", WAIT, "thread-9"); // round trips: nothing else was queued
            second.emitWithAck("join", WAIT, "thread-9");
            assertThat(first.events("msg")).hasSize(6);
            assertThat(second.events("msg")).hasSize(3);
        }
    }

    /**
     * Offsets are opt-in: a socket that did not ask gets exactly the emitted arguments, live and replayed (a
     * python-socketio handler {@code def on_msg(data)} would crash on an extra one); one that asked gets the offset
     * as the last argument of the same broadcasts.
     */
    @Test
    void offsetsReachOnlySocketsThatAskForThem() {
        try (SocketIoServer io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build()).build();
             NodeClientDriver driver = NodeClientDriver.start()) {
            Namespace ns = io.of("/hist").history("thread-.*", 5, Duration.ofMinutes(10));
            ns.onConnection(socket -> {
                socket.on("offsets", ev -> {
                    socket.requestOffsets();
                    ev.ack(socket.receivesOffsets());
                });
                socket.on("join", ev -> ev.ack(ns.replayHistory(socket, ev.arg(0).asText(), null).replayed()));
            });
            io.start();
            ns.to("thread-1").emit("msg", Map.of("n", 0)); // kept for the replay
            String url = "http://127.0.0.1:" + io.port();
            ClientOptions opts = ClientOptions.defaults().transports("websocket").reconnection(false);
            NodeSocket plain = driver.connect(url, "/hist", opts);
            NodeSocket asking = driver.connect(url, "/hist", opts);
            plain.awaitConnect(WAIT);
            asking.awaitConnect(WAIT);
            assertThat(asking.emitWithAck("offsets", WAIT).get(0).asBoolean()).isTrue();
            assertThat(plain.emitWithAck("join", WAIT, "thread-1").get(0).asInt()).isEqualTo(1);
            assertThat(asking.emitWithAck("join", WAIT, "thread-1").get(0).asInt()).isEqualTo(1);

            ns.to("thread-1").emit("msg", Map.of("n", 1));
            List<JsonNode> plainEvents = plain.awaitEvents("msg", 2, WAIT);
            List<JsonNode> askingEvents = asking.awaitEvents("msg", 2, WAIT);
            for (JsonNode args : plainEvents) {
                assertThat(args.size()).as("exactly the emitted arguments: " + args).isEqualTo(1);
            }
            assertThat(plainEvents).extracting(a -> a.get(0).path("n").asInt()).containsExactly(0, 1);
            for (JsonNode args : askingEvents) {
                assertThat(args.size()).as("payload, then the offset: " + args).isEqualTo(2);
                assertThat(args.get(1).asText()).matches("[0-9]+-[0-9a-z]+");
            }
            assertThat(askingEvents).extracting(a -> a.get(0).path("n").asInt()).containsExactly(0, 1);
        }
    }

    /**
     * All rooms of a history keep at most {@code maxBytes}: a broadcast to many rooms counts once, and beyond the
     * bound the oldest event of any room goes first, its rooms' replays saying they are incomplete.
     */
    @Test
    void keptBytesOfAllRoomsStayWithinTheBoundOldestOut() {
        try (SocketIoServer io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build()).build();
             NodeClientDriver driver = NodeClientDriver.start()) {
            Namespace ns = io.of("/hist").history(room -> room.startsWith("thread-"), 100, null, 64 * 1024);
            ns.onConnection(socket -> socket.on("join", ev -> {
                HistoryReplay replay = ns.replayHistory(socket, ev.arg(0).asText(), null);
                ev.ack(Map.of("replayed", replay.replayed(), "complete", replay.complete()));
            }));
            io.start();
            String tenKb = "k".repeat(10 * 1024);
            String[] fifty = new String[50];
            for (int i = 0; i < fifty.length; i++) {
                fifty[i] = "thread-" + i;
            }
            ns.to(fifty).emit("msg", "shared", tenKb); // kept twice (offset and plain): ~20 KiB, not 50 times that
            String url = "http://127.0.0.1:" + io.port();
            ClientOptions opts = ClientOptions.defaults().transports("websocket").reconnection(false);
            NodeSocket client = driver.connect(url, "/hist", opts);
            client.awaitConnect(WAIT);
            assertThat(client.emitWithAck("join", WAIT, "thread-49").get(0).path("replayed").asInt()).isEqualTo(1);

            for (int i = 0; i < 10; i++) {
                ns.to("thread-late-" + i).emit("msg", "late", tenKb); // ~200 KiB more: the oldest go
            }
            JsonNode first = client.emitWithAck("join", WAIT, "thread-0").get(0);
            assertThat(first.path("replayed").asInt()).isZero();
            assertThat(first.path("complete").asBoolean()).isFalse();
            JsonNode early = client.emitWithAck("join", WAIT, "thread-late-0").get(0);
            assertThat(early.path("replayed").asInt()).isZero();
            assertThat(early.path("complete").asBoolean()).isFalse();
            JsonNode last = client.emitWithAck("join", WAIT, "thread-late-9").get(0);
            assertThat(last.path("replayed").asInt()).isEqualTo(1);
            assertThat(last.path("complete").asBoolean()).isTrue();
        }
    }

    /**
     * A history keeps at most {@link RoomHistory#MAX_ROOMS} rooms per namespace, the least recently written out
     * whole: a client resuming such a room from an offset it saw must hear that events after it are gone
     * ({@code complete: false}), not that it missed nothing.
     */
    @Test
    void aRoomEvictedWithItsEventsByTheRoomBoundReplaysAsIncomplete() {
        try (SocketIoServer io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build()).build();
             NodeClientDriver driver = NodeClientDriver.start()) {
            Namespace ns = io.of("/hist").history(room -> room.startsWith("thread-"), 10, null);
            ns.onConnection(socket -> socket.on("join", ev -> {
                String since = ev.arg(1).isTextual() ? ev.arg(1).textValue() : null;
                socket.requestOffsets();
                HistoryReplay replay = ns.replayHistory(socket, ev.arg(0).asText(), since);
                ev.ack(Map.of("replayed", replay.replayed(), "complete", replay.complete()));
            }));
            io.start();
            ClientOptions opts = ClientOptions.defaults().transports("websocket").reconnection(false);
            NodeSocket client = driver.connect("http://127.0.0.1:" + io.port(), "/hist", opts);
            client.awaitConnect(WAIT);
            client.emitWithAck("join", WAIT, "thread-0");
            ns.to("thread-0").emit("msg", 1);
            String seen = client.awaitEvent("msg", WAIT).get(1).asText();
            ns.to("thread-0").emit("msg", 2); // what a client resuming from 'seen' still needs
            for (int i = 1; i <= RoomHistory.MAX_ROOMS; i++) {
                ns.to("thread-other-" + i).emit("msg", i); // thread-0 is the least recently written: it goes
            }

            NodeSocket resumer = driver.connect("http://127.0.0.1:" + io.port(), "/hist", opts);
            resumer.awaitConnect(WAIT);
            JsonNode ack = resumer.emitWithAck("join", WAIT, "thread-0", seen).get(0);
            assertThat(ack.path("replayed").asInt()).isZero();
            assertThat(ack.path("complete").asBoolean()).as("event 2 is no longer kept").isFalse();
            JsonNode kept = resumer.emitWithAck("join", WAIT, "thread-other-" + RoomHistory.MAX_ROOMS, seen).get(0);
            assertThat(kept.path("replayed").asInt()).isEqualTo(1);
            assertThat(kept.path("complete").asBoolean()).as("a room still kept whole").isTrue();

            ns.to("thread-0").emit("msg", 3); // written again after its eviction: event 2 is still gone
            NodeSocket later = driver.connect("http://127.0.0.1:" + io.port(), "/hist", opts);
            later.awaitConnect(WAIT);
            JsonNode again = later.emitWithAck("join", WAIT, "thread-0", seen).get(0);
            assertThat(again.path("replayed").asInt()).isEqualTo(1);
            assertThat(again.path("complete").asBoolean()).as("event 2 is no longer kept, event 3 is").isFalse();
        }
    }

    @Test
    void badHistoryArgumentsAreRefused() {
        try (SocketIoServer io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build()).build()) {
            Namespace ns = io.of("/h");
            assertThatThrownBy(() -> ns.history("x", 0, null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ns.history("x", 5, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ns.history(r -> true, 5, null, 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
