package dev.switchboard.socketio;

import dev.switchboard.engineio.EngineMessage;

/** What a namespace offers its {@link Adapter}: encoding a broadcast once and delivering it to local sockets. */
public interface BroadcastTarget {

    /** The namespace name ("/", "/system", ...). */
    String name();

    /** Encodes the packet once (text message, then its binary attachments). */
    EngineMessage[] encode(BroadcastPacket packet);

    /**
     * Hands already encoded messages to one local socket of this namespace. Returns false when no admitted
     * socket has this id here, or (volatile) when it could not take them right now.
     */
    boolean deliver(String socketId, EngineMessage[] messages, boolean volatile_);

    /** Who the adapter tells about every broadcast it delivers (see {@link BroadcastListener}); null when none. */
    default BroadcastListener broadcastListener() {
        return null;
    }
}
