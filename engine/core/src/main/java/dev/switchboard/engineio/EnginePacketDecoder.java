package dev.switchboard.engineio;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Decodes Engine.IO packets and polling payloads from clients, protocol v4 and v3 (the Socket.IO packets inside
 * their messages are the parser's {@code PacketDecoder}). Throws only {@link EngineParseException}.
 * Limits are enforced before decoding (HTTP body and WebSocket message limits), so inputs here are bounded.
 */
final class EnginePacketDecoder {
    /** v3 binary payloads: Node caps the length prefix at 310 digits; any real length fits in 10. */
    private static final int MAX_LENGTH_DIGITS = 10;

    private EnginePacketDecoder() {
    }

    /** One packet from a WebSocket text frame or a payload segment. */
    static InboundPacket decodeText(String s, int protocol) throws EngineParseException {
        if (s.isEmpty()) throw new EngineParseException("empty packet");
        char type = s.charAt(0);
        if (type == 'b') {
            if (protocol == 3) {
                if (s.length() < 2 || s.charAt(1) != PacketType.MESSAGE) {
                    throw new EngineParseException("v3 base64 packet must be a message");
                }
                return InboundPacket.binary(base64(s, 2));
            }
            return InboundPacket.binary(base64(s, 1));
        }
        if (!PacketType.isValid(type)) throw new EngineParseException("unknown packet type");
        return InboundPacket.text(type, s.substring(1));
    }

    /** One packet from a WebSocket binary frame: raw message in v4, type byte + data in v3. */
    static InboundPacket decodeBinaryFrame(byte[] frame, int protocol) throws EngineParseException {
        if (protocol != 3) return InboundPacket.binary(frame);
        if (frame.length == 0 || frame[0] != 4) throw new EngineParseException("v3 binary frame must be a message");
        byte[] data = new byte[frame.length - 1];
        System.arraycopy(frame, 1, data, 0, data.length);
        return InboundPacket.binary(data);
    }

    /** A polling POST body. */
    static List<InboundPacket> decodePayload(byte[] body, boolean octetStream, int protocol) throws EngineParseException {
        if (body.length == 0) throw new EngineParseException("empty payload");
        if (protocol == 3) {
            return octetStream ? decodeV3Binary(body) : decodeV3Text(new String(body, StandardCharsets.UTF_8));
        }
        return decodeV4(new String(body, StandardCharsets.UTF_8));
    }

    private static List<InboundPacket> decodeV4(String payload) throws EngineParseException {
        List<InboundPacket> packets = new ArrayList<>(2);
        int start = 0;
        while (true) {
            int end = payload.indexOf(PacketType.SEPARATOR, start);
            if (end < 0) {
                packets.add(decodeText(payload.substring(start), 4));
                return packets;
            }
            packets.add(decodeText(payload.substring(start, end), 4));
            start = end + 1;
        }
    }

    /** {@code <length>:<packet>} repeated; length counts UTF-16 code units. */
    private static List<InboundPacket> decodeV3Text(String payload) throws EngineParseException {
        List<InboundPacket> packets = new ArrayList<>(2);
        int i = 0;
        int n = payload.length();
        while (i < n) {
            int colon = payload.indexOf(':', i);
            if (colon < 0 || colon == i || colon - i > MAX_LENGTH_DIGITS) throw new EngineParseException("bad length prefix");
            long len = 0;
            for (int k = i; k < colon; k++) {
                char c = payload.charAt(k);
                if (c < '0' || c > '9') throw new EngineParseException("bad length prefix");
                len = len * 10 + (c - '0');
            }
            int start = colon + 1;
            if (len > n - start) throw new EngineParseException("length past end of payload");
            int end = start + (int) len;
            if (len > 0) packets.add(decodeText(payload.substring(start, end), 3));
            i = end;
        }
        if (packets.isEmpty()) throw new EngineParseException("empty payload");
        return packets;
    }

    /** v3 binary payload: {@code <0|1><length digits as bytes 0-9><0xFF><data>} repeated. */
    private static List<InboundPacket> decodeV3Binary(byte[] body) throws EngineParseException {
        List<InboundPacket> packets = new ArrayList<>(2);
        int i = 0;
        while (i < body.length) {
            byte kind = body[i++];
            if (kind != 0 && kind != 1) throw new EngineParseException("bad binary payload kind");
            long len = 0;
            int digits = 0;
            while (true) {
                if (i >= body.length) throw new EngineParseException("truncated length");
                int b = body[i++] & 0xFF;
                if (b == 0xFF) break;
                if (b > 9 || ++digits > MAX_LENGTH_DIGITS) throw new EngineParseException("bad length digit");
                len = len * 10 + b;
            }
            if (digits == 0) throw new EngineParseException("missing length");
            if (len > body.length - i) throw new EngineParseException("length past end of payload");
            int end = i + (int) len;
            if (kind == 0) {
                packets.add(decodeText(new String(body, i, end - i, StandardCharsets.UTF_8), 3));
            } else {
                byte[] frame = new byte[end - i];
                System.arraycopy(body, i, frame, 0, frame.length);
                packets.add(decodeBinaryFrame(frame, 3));
            }
            i = end;
        }
        if (packets.isEmpty()) throw new EngineParseException("empty payload");
        return packets;
    }

    private static byte[] base64(String s, int from) throws EngineParseException {
        int end = s.length();
        // The Java client (io.socket) ends its base64 with a line break, as Android's encoder does; Node accepts it.
        while (end > from && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        try {
            return Base64.getDecoder().decode(s.substring(from, end));
        } catch (IllegalArgumentException e) {
            throw new EngineParseException("bad base64");
        }
    }
}
