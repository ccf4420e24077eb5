package dev.switchboard.bench.loadgen;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Pre-encoded client frames: written as {@code duplicate()}s, never encoded per send. */
final class Frames {
    private Frames() {
    }

    /** A masked (all-zero key, so the payload reads as is) text frame, as RFC 6455 requires of clients. */
    static ByteBuf maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = Unpooled.directBuffer(payload.length + 8);
        buf.writeByte(0x81);
        if (payload.length < 126) {
            buf.writeByte(0x80 | payload.length);
        } else {
            buf.writeByte(0x80 | 126);
            buf.writeShort(payload.length);
        }
        buf.writeInt(0);
        buf.writeBytes(payload);
        return Unpooled.unreleasableBuffer(buf);
    }

    /** An unmasked-content control frame from the client (masked with a zero key). */
    static ByteBuf maskedControl(int opcode) {
        ByteBuf buf = Unpooled.directBuffer(6);
        buf.writeByte(0x80 | opcode);
        buf.writeByte(0x80);
        buf.writeInt(0);
        return Unpooled.unreleasableBuffer(buf);
    }

    static ByteBuf ascii(String text) {
        return Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
