package dev.switchboard.socketio;

import java.util.function.Supplier;

import dev.switchboard.engineio.EngineMessage;

/**
 * A recorded broadcast's encodings, made by its namespace and carried in its {@link BroadcastPacket} to the
 * adapter: with its offset, and (encoded on first need) without it, for the sockets that did not ask for offsets.
 */
final class EncodedBroadcast {
    private final EngineMessage[] messages;
    private final Supplier<EngineMessage[]> encodePlain;
    private EngineMessage[] plain; // guarded by the journal lock, like the whole delivery

    EncodedBroadcast(EngineMessage[] messages, Supplier<EngineMessage[]> encodePlain) {
        this.messages = messages;
        this.encodePlain = encodePlain;
    }

    /** The encoding with the offset. */
    EngineMessage[] messages() {
        return messages;
    }

    /** The encoding of exactly what was emitted, without the offset. */
    EngineMessage[] plain() {
        if (plain == null) {
            plain = encodePlain.get();
        }
        return plain;
    }
}
