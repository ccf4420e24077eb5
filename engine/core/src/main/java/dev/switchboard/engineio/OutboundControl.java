package dev.switchboard.engineio;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** A non-message packet the server sends (open, close, ping, pong, noop), with its wire bytes built once. */
final class OutboundControl {
    static final OutboundControl CLOSE = new OutboundControl(PacketType.CLOSE, "");
    static final OutboundControl PING = new OutboundControl(PacketType.PING, "");
    static final OutboundControl PONG = new OutboundControl(PacketType.PONG, "");
    static final OutboundControl NOOP = new OutboundControl(PacketType.NOOP, "");
    static final OutboundControl PONG_PROBE = new OutboundControl(PacketType.PONG, "probe");

    final char type;
    final String data;
    final byte[] utf8;
    final ByteBuf wsFrame;

    private OutboundControl(char type, String data) {
        this.type = type;
        this.data = data;
        this.utf8 = (type + data).getBytes(StandardCharsets.UTF_8);
        this.wsFrame = SharedBuffers.readOnlyDirect(utf8);
    }

    static OutboundControl open(String handshakeJson) {
        return new OutboundControl(PacketType.OPEN, handshakeJson);
    }

    /** Length of the packet string in UTF-16 code units (v3 payload framing). */
    int utf16Length() {
        return 1 + data.length();
    }
}
