package dev.switchboard.socketio;

/**
 * The outcome of {@link Namespace#replayHistory}: how many past events were sent, and whether they are
 * everything since the requested offset ({@code complete} is false when some were already evicted, or when
 * no offset was given and the room's history had already dropped older events).
 */
public record HistoryReplay(int replayed, boolean complete) {
}
