package dev.switchboard.socketio;

import java.time.Duration;

import dev.switchboard.socketio.parser.PacketDecoder;
import dev.switchboard.socketio.parser.SocketIoParser;

/** The Socket.IO layer's own settings (the Engine.IO ones live in EngineIoOptions). */
record ServerSettings(Duration connectTimeout, Duration ackTimeout, int workerThreads, int maxAttachments,
                      RecoveryOptions recovery, RecoveryStore.Factory recoveryStores,
                      InboundLimit inboundLimit, SocketIoParser parser, long maxPacketBytes, int maxConnectBytes) {

    /** Largest packet with its attachments: the engine's default maxPayload (Node's maxHttpBufferSize). */
    static final long DEFAULT_MAX_PACKET_BYTES = 1_000_000;
    /** Largest CONNECT packet (its auth is kept by the socket): the engine's default maxHandshakeBytes. */
    static final int DEFAULT_MAX_CONNECT_BYTES = 8192;

    /** The defaults (Node's where it has the setting), which SocketIoServer's builder starts from. */
    static final ServerSettings DEFAULTS = new ServerSettings(Duration.ofSeconds(45), Duration.ofSeconds(30),
            // handlers may block (Docker, file system): threads are cheap, a stalled pool is not
            Math.max(16, 8 * Runtime.getRuntime().availableProcessors()), PacketDecoder.DEFAULT_MAX_ATTACHMENTS);

    /** With the default packet bounds. */
    ServerSettings(Duration connectTimeout, Duration ackTimeout, int workerThreads, int maxAttachments,
                   RecoveryOptions recovery, RecoveryStore.Factory recoveryStores, InboundLimit inboundLimit,
                   SocketIoParser parser) {
        this(connectTimeout, ackTimeout, workerThreads, maxAttachments, recovery, recoveryStores, inboundLimit, parser,
                DEFAULT_MAX_PACKET_BYTES, DEFAULT_MAX_CONNECT_BYTES);
    }

    /** Without recovery, with the default inbound limit and parser. */
    ServerSettings(Duration connectTimeout, Duration ackTimeout, int workerThreads, int maxAttachments) {
        this(connectTimeout, ackTimeout, workerThreads, maxAttachments, null, null, InboundLimit.DEFAULT,
                SocketIoParser.DEFAULT, DEFAULT_MAX_PACKET_BYTES, DEFAULT_MAX_CONNECT_BYTES);
    }
}
