package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.switchboard.engineio.EngineMessage;

/** The adapter reports a broadcast's delivery once, whatever its number of recipients, with its encoded size. */
class BroadcastDeliveryMetricsTest {

    private record Delivered(long nanos, long bytes) {
    }

    private static final class Target implements BroadcastTarget {
        final List<Delivered> delivered = Collections.synchronizedList(new ArrayList<>());
        final List<String> reached = Collections.synchronizedList(new ArrayList<>());
        final SocketIoMetricsTracker tracker = new SocketIoMetricsTracker() {
            @Override
            public void broadcastDelivered(long nanos, long bytes) {
                delivered.add(new Delivered(nanos, bytes));
            }
        };

        @Override
        public String name() {
            return "/t";
        }

        @Override
        public EngineMessage[] encode(BroadcastPacket packet) {
            return new EngineMessage[] {EngineMessage.text("2/t,[\"" + packet.event() + "\"]"),
                    EngineMessage.binary(new byte[100])};
        }

        @Override
        public boolean deliver(String socketId, EngineMessage[] messages, boolean droppable) {
            reached.add(socketId);
            return true;
        }

        @Override
        public SocketIoMetricsTracker tracker() {
            return tracker;
        }
    }

    @Test
    void oneReportPerBroadcastWithItsEncodedSizeAndNoneWithoutRecipients() {
        Target target = new Target();
        InMemoryAdapter adapter = new InMemoryAdapter(target);
        for (int i = 0; i < 50; i++) {
            adapter.addAll("s" + i, Set.of("s" + i, "room"));
        }
        BroadcastPacket packet = BroadcastPacket.of("/t", "ev", "x");

        assertThat(adapter.broadcast(packet, new BroadcastOptions(Set.of("room"), Set.of(), false, true))).isEqualTo(50);
        assertThat(target.delivered).hasSize(1);
        long expectedBytes = "4".length() + "2/t,[\"ev\"]".length() + 100 + 1;
        assertThat(target.delivered.get(0).bytes()).isEqualTo(expectedBytes);
        assertThat(target.delivered.get(0).nanos()).isPositive();

        adapter.broadcast(packet, new BroadcastOptions(Set.of("nobody-here"), Set.of(), false, true));
        assertThat(target.delivered).as("a broadcast that reached no local socket is not measured").hasSize(1);
        assertThat(target.reached).hasSize(50);
    }
}
