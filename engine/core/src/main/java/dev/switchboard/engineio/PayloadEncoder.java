package dev.switchboard.engineio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Encodes queued packets into one polling response body. v4: packets separated by 0x1e, binary as "b" + base64.
 * v3: each packet as {@code <length>:<packet>} (length in UTF-16 code units), binary as "b4" + base64.
 */
final class PayloadEncoder {
    private PayloadEncoder() {
    }

    /** items: EngineMessage, EngineMessage[] (an atomic group) or OutboundControl. */
    static void encode(Iterable<?> items, int protocol, ByteBuf out) {
        boolean first = true;
        for (Object item : items) {
            if (item instanceof EngineMessage[] group) {
                for (EngineMessage m : group) {
                    first = separate(out, first, protocol);
                    writeMessage(m, protocol, out);
                }
            } else {
                first = separate(out, first, protocol);
                if (item instanceof EngineMessage m) {
                    writeMessage(m, protocol, out);
                } else {
                    OutboundControl c = (OutboundControl) item;
                    if (protocol == 3) writeLength(out, c.utf16Length());
                    out.writeBytes(c.utf8);
                }
            }
        }
    }

    private static boolean separate(ByteBuf out, boolean first, int protocol) {
        if (!first && protocol != 3) out.writeByte(PacketType.SEPARATOR);
        return false;
    }

    private static void writeMessage(EngineMessage m, int protocol, ByteBuf out) {
        if (m.isBinary()) {
            String b64 = m.base64();
            if (protocol == 3) {
                writeLength(out, 2 + b64.length());
                out.writeByte('b');
                out.writeByte(PacketType.MESSAGE);
            } else {
                out.writeByte('b');
            }
            ByteBufUtil.writeAscii(out, b64);
        } else {
            if (protocol == 3) writeLength(out, 1 + m.text().length());
            out.writeBytes(m.textFrameBytes());
        }
    }

    private static void writeLength(ByteBuf out, int length) {
        ByteBufUtil.writeAscii(out, Integer.toString(length));
        out.writeByte(':');
    }
}
