package dev.switchboard.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.IntegerValue;

/**
 * MessagePack as notepack.io (the parser of @socket.io/redis-adapter and -emitter) writes it. Decodes to plain
 * Java values Jackson serializes back to what a Node server would send: maps, lists, strings, Long/BigInteger,
 * Double, Boolean, null, byte[] (binary attachments); notepack's extensions: undefined becomes null, Date becomes
 * its ISO-8601 string (what JSON.stringify makes of it).
 */
final class MsgPack {
    static final int MAX_DEPTH = 64;
    private static final byte NOTEPACK_EXT = 0;

    private MsgPack() {
    }

    static Object decode(byte[] bytes) throws MalformedMessageException {
        try (MessageUnpacker in = MessagePack.newDefaultUnpacker(bytes)) {
            Object value = read(in, 0, bytes.length);
            if (in.hasNext()) {
                throw new MalformedMessageException("trailing bytes after the MessagePack value");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            throw new MalformedMessageException("not MessagePack: " + e.getMessage());
        }
    }

    /** Reads the first element of a top-level array (the sender uid), or null when the message is no array of strings. */
    static String firstString(byte[] bytes) {
        try (MessageUnpacker in = MessagePack.newDefaultUnpacker(bytes)) {
            if (!in.hasNext() || !in.getNextFormat().getValueType().isArrayType()) {
                return null;
            }
            if (in.unpackArrayHeader() < 1 || !in.getNextFormat().getValueType().isRawType()) {
                return null;
            }
            return in.unpackString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** @param size the whole message's length: no declared length may exceed what is left of it */
    static Object read(MessageUnpacker in, int depth, int size) throws IOException, MalformedMessageException {
        if (depth > MAX_DEPTH) {
            throw new MalformedMessageException("nested deeper than " + MAX_DEPTH);
        }
        switch (in.getNextFormat().getValueType()) {
            case NIL -> {
                in.unpackNil();
                return null;
            }
            case BOOLEAN -> {
                return in.unpackBoolean();
            }
            case INTEGER -> {
                IntegerValue v = in.unpackValue().asIntegerValue();
                return v.isInLongRange() ? (Object) v.toLong() : v.toBigInteger();
            }
            case FLOAT -> {
                return in.unpackDouble();
            }
            case STRING -> {
                return new String(in.readPayload(checked(in.unpackRawStringHeader(), in, size)), StandardCharsets.UTF_8);
            }
            case BINARY -> {
                return in.readPayload(checked(in.unpackBinaryHeader(), in, size));
            }
            case ARRAY -> {
                int n = in.unpackArrayHeader();
                List<Object> list = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    list.add(read(in, depth + 1, size));
                }
                return list;
            }
            case MAP -> {
                int n = in.unpackMapHeader();
                Map<String, Object> map = new LinkedHashMap<>(Math.min(n, 1024) * 2);
                for (int i = 0; i < n; i++) {
                    Object key = read(in, depth + 1, size);
                    map.put(String.valueOf(key), read(in, depth + 1, size));
                }
                return map;
            }
            case EXTENSION -> {
                return readExtension(in, size);
            }
            default -> throw new MalformedMessageException("unsupported MessagePack type");
        }
    }

    /** A declared payload length, refused when it is longer than the rest of the message (it would be allocated). */
    private static int checked(int declared, MessageUnpacker in, int size) throws MalformedMessageException {
        if (declared < 0 || declared > size - in.getTotalReadBytes()) {
            throw new MalformedMessageException("declared length " + declared + " exceeds the message");
        }
        return declared;
    }

    private static Object readExtension(MessageUnpacker in, int size) throws IOException, MalformedMessageException {
        ExtensionTypeHeader header = in.unpackExtensionTypeHeader();
        byte[] payload = in.readPayload(checked(header.getLength(), in, size));
        if (header.getType() == NOTEPACK_EXT && header.getLength() == 1) {
            return null; // undefined
        }
        if (header.getType() == NOTEPACK_EXT && header.getLength() == 8) { // Date: float64 ms since epoch
            long bits = 0;
            for (byte b : payload) {
                bits = (bits << 8) | (b & 0xff);
            }
            double millis = Double.longBitsToDouble(bits);
            return Instant.ofEpochMilli((long) millis).toString();
        }
        throw new MalformedMessageException("unsupported MessagePack extension type " + header.getType());
    }

    // ---------------------------------------------------------------- encoding

    static MessageBufferPacker packer() {
        return MessagePack.newDefaultBufferPacker();
    }

    /** Writes a Jackson tree; binary nodes become MessagePack bin (Buffers on the Node side). */
    static void write(MessagePacker out, JsonNode node) throws IOException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.packNil();
        } else if (node.isTextual()) {
            out.packString(node.textValue());
        } else if (node.isBinary()) {
            byte[] bytes = node.binaryValue();
            out.packBinaryHeader(bytes.length);
            out.writePayload(bytes);
        } else if (node.isBoolean()) {
            out.packBoolean(node.booleanValue());
        } else if (node.isIntegralNumber()) {
            if (node.canConvertToLong()) {
                out.packLong(node.longValue());
            } else {
                BigInteger big = node.bigIntegerValue();
                if (big.signum() >= 0 && big.bitLength() <= 64) {
                    out.packBigInteger(big);
                } else {
                    out.packDouble(big.doubleValue());
                }
            }
        } else if (node.isNumber()) {
            out.packDouble(node.doubleValue());
        } else if (node.isArray()) {
            out.packArrayHeader(node.size());
            for (JsonNode item : node) {
                write(out, item);
            }
        } else if (node.isObject()) {
            out.packMapHeader(node.size());
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                out.packString(field.getKey());
                write(out, field.getValue());
            }
        } else { // POJO nodes and anything else: its text form
            out.packString(node.asText());
        }
    }

    static void writeStrings(MessagePacker out, Iterable<String> values, int size) throws IOException {
        out.packArrayHeader(size);
        for (String v : values) {
            out.packString(v);
        }
    }
}
