package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.engineio.EngineMessage;

/**
 * The {@link BroadcastListener} hook: the in-memory adapter hands it every broadcast it delivers (with or without
 * local recipients), a failing listener does not break delivery, and {@link InMemoryAdapter#hasLocalInterest}
 * combines local members with {@link BroadcastListener#wantsRoom}; the server gives each namespace its own.
 */
class BroadcastListenerTest {

    /** Records what it is told; wants the rooms in {@code wanted}. */
    private static final class RecordingListener implements BroadcastListener {
        final List<String> seen = Collections.synchronizedList(new ArrayList<>());
        final Set<String> wanted;
        boolean failing;

        RecordingListener(Set<String> wanted) {
            this.wanted = wanted;
        }

        @Override
        public void onBroadcast(BroadcastPacket packet, BroadcastOptions options) {
            seen.add(packet.namespace() + " " + packet.event() + " " + options.rooms() + " " + packet.args());
            if (failing) {
                throw new IllegalStateException("listener broke");
            }
        }

        @Override
        public boolean wantsRoom(String room) {
            return wanted.contains(room);
        }
    }

    /** Delivers to every socket id it is given; offers {@code listener}. */
    private record Target(BroadcastListener listener) implements BroadcastTarget {
        @Override
        public String name() {
            return "/t";
        }

        @Override
        public EngineMessage[] encode(BroadcastPacket packet) {
            return new EngineMessage[] {EngineMessage.text("2/t,[\"" + packet.event() + "\"]")};
        }

        @Override
        public boolean deliver(String socketId, EngineMessage[] messages, boolean droppable) {
            return true;
        }

        @Override
        public BroadcastListener broadcastListener() {
            return listener;
        }
    }

    private static BroadcastOptions to(String... rooms) {
        return new BroadcastOptions(Set.of(rooms), Set.of(), false, false);
    }

    @Test
    void seesEveryDeliveredBroadcastWithOrWithoutLocalRecipients() {
        RecordingListener listener = new RecordingListener(Set.of());
        InMemoryAdapter adapter = new InMemoryAdapter(new Target(listener));
        adapter.addAll("a", Set.of("a", "red"));

        assertThat(adapter.broadcast(BroadcastPacket.of("/t", "one", 1), to("red"))).isEqualTo(1);
        assertThat(adapter.broadcast(BroadcastPacket.of("/t", "two"), to("nobody-here"))).isZero();
        assertThat(adapter.broadcast(BroadcastPacket.of("/t", "three"), BroadcastOptions.ALL)).isEqualTo(1);

        assertThat(listener.seen).containsExactly("/t one [red] [1]", "/t two [nobody-here] []", "/t three [] []");
    }

    @Test
    void aFailingListenerLeavesTheDeliveryIntact() {
        RecordingListener listener = new RecordingListener(Set.of());
        listener.failing = true;
        InMemoryAdapter adapter = new InMemoryAdapter(new Target(listener));
        adapter.addAll("a", Set.of("a", "red"));

        assertThat(adapter.broadcast(BroadcastPacket.of("/t", "e"), to("red"))).isEqualTo(1);
        assertThat(listener.seen).hasSize(1);
    }

    @Test
    void localInterestIsALocalMemberOrARoomTheListenerWants() {
        InMemoryAdapter withListener = new InMemoryAdapter(new Target(new RecordingListener(Set.of("plain"))));
        withListener.addAll("a", Set.of("a", "red"));
        assertThat(withListener.hasLocalInterest("red")).isTrue();
        assertThat(withListener.hasLocalInterest("plain")).isTrue();
        assertThat(withListener.hasLocalInterest("nobody")).isFalse();
        withListener.del("a", "red");
        assertThat(withListener.hasLocalInterest("red")).as("the last member left").isFalse();

        InMemoryAdapter without = new InMemoryAdapter(new Target(null));
        without.addAll("a", Set.of("a", "red"));
        assertThat(without.hasLocalInterest("red")).isTrue();
        assertThat(without.hasLocalInterest("plain")).isFalse();
        assertThat(without.broadcast(BroadcastPacket.of("/t", "e"), to("red"))).isEqualTo(1);
    }

    @Test
    void eachNamespaceGetsTheListenerTheFactoryMadeForIt() {
        List<String> created = Collections.synchronizedList(new ArrayList<>());
        List<RecordingListener> listeners = Collections.synchronizedList(new ArrayList<>());
        SocketIoCore core = new SocketIoCore(new ServerSettings(Duration.ofSeconds(45), Duration.ofSeconds(30), 2, 10),
                new ObjectMapper(), InMemoryAdapter::new, namespace -> {
                    created.add(namespace);
                    if (namespace.equals("/quiet")) {
                        return null; // this namespace has none
                    }
                    RecordingListener listener = new RecordingListener(Set.of());
                    listeners.add(listener);
                    return listener;
                });
        try {
            Namespace chat = core.of("/chat");
            Namespace quiet = core.of("/quiet");
            assertThat(created).containsExactly("/", "/chat", "/quiet");

            chat.to("room-1").emit("note", "hi");
            assertThat(quiet.to("room-1").emit("note", "unheard")).isZero();

            assertThat(listeners).hasSize(2); // "/" and "/chat"
            assertThat(listeners.get(0).seen).isEmpty();
            assertThat(listeners.get(1).seen).containsExactly("/chat note [room-1] [hi]");
        } finally {
            core.stopAccepting();
            core.shutdown(System.nanoTime() + Duration.ofSeconds(2).toNanos());
        }
    }
}
