package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.switchboard.engineio.EngineMessage;

/** The store's bounds and filters, without a network. */
class InMemoryRecoveryStoreTest {

    private static RecoveryStore.RecordedBroadcast packet(long offset, Set<String> rooms, Set<String> except, long at) {
        return new RecoveryStore.RecordedBroadcast(offset, new EngineMessage[] {EngineMessage.text("2[\"e\"," + offset + "]")},
                rooms, except, at, 10);
    }

    private static RecoveryStore.SavedSession session(String pid, Set<String> rooms, long at) {
        return new RecoveryStore.SavedSession("sid-" + pid, pid, rooms, Map.of("user", "u"), at);
    }

    @Test
    void replaysOnlyPacketsOfTheSessionRoomsAfterItsOffsetAndOnlyOnce() {
        InMemoryRecoveryStore store = new InMemoryRecoveryStore(new RecoveryOptions(Duration.ofMinutes(1), 100, 10_000));
        long now = System.currentTimeMillis();
        store.append(packet(1, Set.of("a"), Set.of(), now));
        store.append(packet(2, Set.of("b"), Set.of(), now));
        store.append(packet(3, Set.of(), Set.of(), now));            // to everyone
        store.append(packet(4, Set.of("a"), Set.of("sid-p"), now));   // socket.to(a) from this very socket
        store.append(packet(5, Set.of("a"), Set.of(), now));
        store.saveSession(session("p", Set.of("sid-p", "a"), now));
        RecoveryStore.RestoredSession restored = store.restore("p", 1);
        assertThat(restored.session().data()).containsEntry("user", "u");
        assertThat(restored.missedPackets()).extracting(m -> m[0].text()).containsExactly("2[\"e\",3]", "2[\"e\",5]");
        assertThat(store.restore("p", 1)).isNull(); // one use
    }

    @Test
    void savedSessionsBeyondTheirBoundEvictTheOldestAndTheNewestStayRecoverable() {
        InMemoryRecoveryStore store = new InMemoryRecoveryStore(new RecoveryOptions(Duration.ofMinutes(1), 100, 10_000, 2));
        long now = System.currentTimeMillis();
        store.append(packet(1, Set.of(), Set.of(), now));
        for (String pid : new String[] {"first", "second", "third"}) {
            store.saveSession(session(pid, Set.of(), now));
        }
        assertThat(store.savedSessions()).isEqualTo(2);
        assertThat(store.restore("first", 1)).as("the oldest made room").isNull();
        assertThat(store.restore("second", 1)).isNotNull();
        assertThat(store.restore("third", 1)).isNotNull();
    }

    @Test
    void evictionByCountBytesAndTimeMakesOlderOffsetsUnrecoverable() {
        InMemoryRecoveryStore store = new InMemoryRecoveryStore(new RecoveryOptions(Duration.ofMinutes(1), 3, 25));
        long now = System.currentTimeMillis();
        for (long i = 1; i <= 5; i++) {
            store.append(packet(i, Set.of(), Set.of(), now)); // 10 bytes each: at most 2 fit in 25 bytes
        }
        assertThat(store.bufferedPackets()).isEqualTo(2);
        assertThat(store.bufferedBytes()).isEqualTo(20);
        store.saveSession(session("old", Set.of(), now));
        assertThat(store.restore("old", 2)).as("packet 3 was evicted").isNull();
        store.saveSession(session("ok", Set.of(), now));
        assertThat(store.restore("ok", 3).missedPackets()).hasSize(2);
        store.saveSession(session("bogus", Set.of(), now));
        assertThat(store.restore("bogus", 99)).as("offset from the future").isNull();
        assertThat(store.restore("unknown", 5)).isNull();

        InMemoryRecoveryStore timed = new InMemoryRecoveryStore(new RecoveryOptions(Duration.ofSeconds(1), 100, 10_000));
        timed.append(packet(1, Set.of(), Set.of(), now - 5_000));
        timed.append(packet(2, Set.of(), Set.of(), now));
        assertThat(timed.bufferedPackets()).isEqualTo(1);
        timed.saveSession(session("late", Set.of(), now - 5_000));
        timed.saveSession(session("fresh", Set.of(), now));
        assertThat(timed.savedSessions()).isEqualTo(1);
        assertThat(timed.restore("late", 1)).isNull();
        assertThat(timed.restore("fresh", 1).missedPackets()).hasSize(1);
    }
}
