package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.engineio.EngineMessage;

/** Room bookkeeping and recipient selection of the in-memory adapter, against a recording BroadcastTarget. */
class InMemoryAdapterTest {

    /** Records encodes and deliveries; "slow" sockets refuse volatile packets. */
    private static final class RecordingTarget implements BroadcastTarget {
        // synchronized: the concurrency test broadcasts from several threads at once
        final List<BroadcastPacket> encoded = Collections.synchronizedList(new ArrayList<>());
        final List<String> deliveredTo = Collections.synchronizedList(new ArrayList<>());
        final List<EngineMessage[]> deliveredMessages = Collections.synchronizedList(new ArrayList<>());
        final Set<String> slow = new HashSet<>();
        final Set<String> gone = new HashSet<>();

        @Override
        public String name() {
            return "/t";
        }

        @Override
        public EngineMessage[] encode(BroadcastPacket packet) {
            encoded.add(packet);
            return new EngineMessage[] {EngineMessage.text("2/t,[\"" + packet.event() + "\"]")};
        }

        @Override
        public boolean deliver(String socketId, EngineMessage[] messages, boolean droppable) {
            if (gone.contains(socketId) || (droppable && slow.contains(socketId))) {
                return false;
            }
            deliveredTo.add(socketId);
            deliveredMessages.add(messages);
            return true;
        }
    }

    private RecordingTarget target;
    private InMemoryAdapter adapter;

    @BeforeEach
    void setUp() {
        target = new RecordingTarget();
        adapter = new InMemoryAdapter(target);
        adapter.addAll("a", Set.of("a", "red"));
        adapter.addAll("b", Set.of("b", "red", "blue"));
        adapter.addAll("c", Set.of("c", "blue"));
        adapter.addAll("d", Set.of("d"));
    }

    private static BroadcastOptions opts(Set<String> rooms, Set<String> except, boolean droppable) {
        return new BroadcastOptions(rooms, except, droppable, false);
    }

    /** A room holds its only member without a set; the second member and the last leave change its form. */
    @Test
    void oneMemberRoomsGrowAndShrink() {
        adapter.addAll("e", Set.of("e", "green"));
        assertThat(adapter.sockets(Set.of("green"))).containsExactly("e");
        adapter.addAll("e", Set.of("green")); // joining twice changes nothing
        assertThat(adapter.roomSizes()).containsEntry("green", 1);

        adapter.addAll("f", Set.of("f", "green"));
        assertThat(adapter.sockets(Set.of("green"))).containsExactlyInAnyOrder("e", "f");
        adapter.del("e", "green");
        assertThat(adapter.sockets(Set.of("green"))).containsExactly("f");
        assertThat(adapter.broadcast(BroadcastPacket.of("/t", "x"), opts(Set.of("green"), Set.of(), false))).isEqualTo(1);
        assertThat(target.deliveredTo).containsExactly("f");

        adapter.del("f", "green");
        assertThat(adapter.roomSizes()).doesNotContainKey("green");
        assertThat(adapter.socketRooms("f")).containsExactly("f");

        adapter.del("e", "e"); // a socket may leave its own id room, as in Node
        assertThat(adapter.sockets(Set.of("e"))).isEmpty();
        assertThat(adapter.socketRooms("e")).isEmpty();
        adapter.delAll("e");
        assertThat(adapter.sockets(Set.of())).doesNotContain("e");
    }

    @Test
    void membership() {
        assertThat(adapter.sockets(Set.of("red"))).containsExactlyInAnyOrder("a", "b");
        assertThat(adapter.sockets(Set.of("red", "blue"))).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(adapter.sockets(Set.of())).containsExactlyInAnyOrder("a", "b", "c", "d");
        assertThat(adapter.socketRooms("b")).containsExactlyInAnyOrder("b", "red", "blue");
        assertThat(adapter.socketRooms("unknown")).isEmpty();
        assertThat(adapter.roomSizes()).containsEntry("red", 2).containsEntry("blue", 2).containsEntry("d", 1);

        adapter.del("b", "red");
        assertThat(adapter.sockets(Set.of("red"))).containsExactly("a");
        adapter.del("a", "red");
        assertThat(adapter.roomSizes()).doesNotContainKey("red"); // empty rooms disappear
        adapter.delAll("c");
        assertThat(adapter.socketRooms("c")).isEmpty();
        assertThat(adapter.sockets(Set.of("blue"))).containsExactly("b");
        assertThat(adapter.roomSizes()).doesNotContainKey("c");
    }

    @Test
    void broadcastToAllEncodesOnceAndSharesTheMessages() {
        assertThat(adapter.broadcast(BroadcastPacket.of("/t", "e"), BroadcastOptions.ALL)).isEqualTo(4);
        assertThat(target.encoded).hasSize(1);
        assertThat(target.deliveredTo).containsExactlyInAnyOrder("a", "b", "c", "d");
        EngineMessage[] first = target.deliveredMessages.get(0);
        assertThat(target.deliveredMessages).allSatisfy(m -> assertThat(m).isSameAs(first));
    }

    @Test
    void unionOfRoomsDeliversEachSocketOnce() {
        assertThat(adapter.broadcast(BroadcastPacket.of("/t", "e"), opts(Set.of("red", "blue"), Set.of(), false)))
                .isEqualTo(3);
        assertThat(target.deliveredTo).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void exceptRemovesEveryMemberOfTheExceptRooms() {
        assertThat(adapter.broadcast(BroadcastPacket.of("/t", "e"), opts(Set.of(), Set.of("blue"), false))).isEqualTo(2);
        assertThat(target.deliveredTo).containsExactlyInAnyOrder("a", "d");
        target.deliveredTo.clear();
        // Socket.to(room) from b: b's own id room is excluded
        assertThat(adapter.broadcast(BroadcastPacket.of("/t", "e"), opts(Set.of("red"), Set.of("b"), false))).isEqualTo(1);
        assertThat(target.deliveredTo).containsExactly("a");
    }

    @Test
    void noRecipientsMeansNoEncoding() {
        assertThat(adapter.broadcast(BroadcastPacket.of("/t", "e"), opts(Set.of("nobody"), Set.of(), false))).isZero();
        assertThat(adapter.broadcast(BroadcastPacket.of("/t", "e"), opts(Set.of("red"), Set.of("red"), false))).isZero();
        assertThat(target.encoded).isEmpty();
    }

    @Test
    void volatileAndVanishedSocketsAreNotCounted() {
        target.slow.add("a");
        target.gone.add("c");
        assertThat(adapter.broadcast(BroadcastPacket.of("/t", "e"), opts(Set.of(), Set.of(), true))).isEqualTo(2);
        assertThat(target.deliveredTo).containsExactlyInAnyOrder("b", "d");
        assertThat(adapter.broadcast(BroadcastPacket.of("/t", "e"), opts(Set.of(), Set.of(), false))).isEqualTo(3);
    }

    @Test
    void offsetHookAppendsATrailingArgumentWithoutTouchingTheOriginal() {
        BroadcastPacket packet = BroadcastPacket.of("/t", "e", 1, null, Map.of("k", "v"));
        BroadcastPacket withOffset = packet.withOffset("offset-42");
        assertThat(withOffset.args()).hasSize(4).last().isEqualTo("offset-42");
        assertThat(withOffset.offset()).isEqualTo("offset-42");
        assertThat(withOffset.payload()).as("what listeners and other nodes get").isEqualTo(packet.args());
        assertThat(packet.args()).hasSize(3);
        assertThat(packet.payload()).isEqualTo(packet.args());
        assertThat(withOffset.event()).isEqualTo("e");
    }

    @Test
    void broadcastOperatorsAreImmutable() {
        RoomBroadcast base = new RoomBroadcast(null, Set.of(), Set.of(), false);
        RoomBroadcast red = (RoomBroadcast) base.to("red");
        RoomBroadcast redExceptBlue = (RoomBroadcast) red.except("blue");
        RoomBroadcast vol = (RoomBroadcast) redExceptBlue.droppable();
        assertThat(base.rooms()).isEmpty();
        assertThat(red.rooms()).containsExactly("red");
        assertThat(red.except()).isEmpty();
        assertThat(redExceptBlue.except()).containsExactly("blue");
        assertThat(redExceptBlue.isDroppable()).isFalse();
        assertThat(vol.isDroppable()).isTrue();
        assertThat(((RoomBroadcast) red.to("green")).rooms()).containsExactlyInAnyOrder("red", "green");
    }

    /** {@code POST /emit} without {@code except} calls {@code except()}: that must not copy the operator's sets. */
    @Test
    void addingNoRoomsIsTheSameOperator() {
        RoomBroadcast red = (RoomBroadcast) new RoomBroadcast(null, Set.of(), Set.of(), false).to("red");

        assertThat(red.except(new String[0])).isSameAs(red);
        assertThat(red.to(new String[0])).isSameAs(red);
    }

    /** Node keeps rooms in a Set: naming one twice is naming it once (Set.of would throw). */
    @Test
    void aRoomNamedTwiceIsTheRoomOnce() {
        assertThat(RoomBroadcast.roomSet("red", "red", "blue")).containsExactlyInAnyOrder("red", "blue");
        assertThat(RoomBroadcast.roomSet()).isEmpty();
    }

    @Test
    void concurrentJoinsLeavesAndBroadcastsLeaveConsistentBookkeeping() throws Exception {
        InMemoryAdapter shared = new InMemoryAdapter(target);
        int threads = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 2000; i++) {
                        String id = "s" + thread + "-" + (i % 50);
                        shared.addAll(id, Set.of(id, "room" + (i % 7)));
                        shared.broadcast(BroadcastPacket.of("/t", "e"), opts(Set.of("room" + (i % 7)), Set.of(), false));
                        if (i % 3 == 0) {
                            shared.del(id, "room" + (i % 7));
                        }
                        if (i % 5 == 0) {
                            shared.delAll(id);
                        }
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : futures) {
                f.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (String room : shared.roomSizes().keySet()) {
            for (String id : shared.sockets(Set.of(room))) {
                assertThat(shared.socketRooms(id)).contains(room);
            }
        }
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < 50; i++) {
                String id = "s" + t + "-" + i;
                for (String room : shared.socketRooms(id)) {
                    assertThat(shared.sockets(Set.of(room))).contains(id);
                }
                shared.delAll(id);
            }
        }
        assertThat(shared.roomSizes()).isEmpty();
    }
}
