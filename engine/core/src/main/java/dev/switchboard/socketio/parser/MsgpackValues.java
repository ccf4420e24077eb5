package dev.switchboard.socketio.parser;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * MessagePack values to and from Jackson trees, the way notepack.io (the codec of socket.io-msgpack-parser and of
 * @socket.io/redis-adapter and -emitter) writes and reads them: the one MessagePack codec of the engine and the
 * Redis adapter. Readers see what a JSON peer would have given them, i.e. what JSON.stringify makes of the
 * sender's value: {@code undefined} is null in an array and no field in an object, a Date its ISO-8601 string,
 * NaN and ±Infinity null; Buffers, ArrayBuffers and typed arrays are binary (BinaryNode).
 */
public final class MsgpackValues {
    /** What {@link #read} returns for notepack's {@code undefined}; callers turn it into "absent". */
    public static final JsonNode UNDEFINED = MissingNode.getInstance();

    private static final byte NOTEPACK_EXT = 0;           // undefined (fixext 1), Date (fixext 8), ArrayBuffer (ext 8/16/32)
    private static final byte TIMESTAMP_EXT = -1;         // MessagePack's own timestamp (notepack.io 3)
    private static final long JS_MAX_DATE_MILLIS = 8_640_000_000_000_000L;
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private final JsonNodeFactory nodes;
    private final int maxDepth;

    /** @param maxDepth deepest nesting of arrays and maps in a value, as Jackson's limit for JSON text */
    public MsgpackValues(JsonNodeFactory nodes, int maxDepth) {
        this.nodes = nodes;
        this.maxDepth = maxDepth;
    }

    // ---------------------------------------------------------------- reading

    /**
     * One value. {@code size}: the whole message's length; no declared length or count may exceed what is left of
     * it (it would be allocated or looped over first). {@code depth}: containers around this value.
     */
    public JsonNode read(MessageUnpacker in, int depth, int size) throws IOException, PacketParseException {
        MessageFormat format = in.getNextFormat();
        switch (format.getValueType()) {
            case NIL -> {
                in.unpackNil();
                return nodes.nullNode();
            }
            case BOOLEAN -> {
                return nodes.booleanNode(in.unpackBoolean());
            }
            case INTEGER -> {
                return readInteger(in, format);
            }
            case FLOAT -> {
                double d = in.unpackDouble();
                return Double.isFinite(d) ? nodes.numberNode(d) : nodes.nullNode();
            }
            case STRING -> {
                return nodes.textNode(utf8(in, size));
            }
            case BINARY -> {
                return nodes.binaryNode(in.readPayload(declared(in.unpackBinaryHeader(), in, size)));
            }
            case ARRAY -> {
                int n = in.unpackArrayHeader();
                count(n, 1, in, size);
                nested(depth);
                ArrayNode array = nodes.arrayNode(Math.min(n, 16));
                for (int i = 0; i < n; i++) {
                    JsonNode item = read(in, depth + 1, size);
                    array.add(item == UNDEFINED ? nodes.nullNode() : item);
                }
                return array;
            }
            case MAP -> {
                int n = in.unpackMapHeader();
                count(n, 2, in, size);
                nested(depth);
                ObjectNode object = nodes.objectNode();
                for (int i = 0; i < n; i++) {
                    String key = readString(in, size);
                    JsonNode value = read(in, depth + 1, size);
                    if (value == UNDEFINED) {
                        object.remove(key);
                    } else {
                        object.set(key, value);
                    }
                }
                return object;
            }
            case EXTENSION -> {
                return readExtension(in, format, size);
            }
            default -> throw new PacketParseException("unsupported MessagePack type " + format);
        }
    }

    /** A string, and only a string: map keys (notepack writes object keys, always strings) and the namespace. */
    public String readString(MessageUnpacker in, int size) throws IOException, PacketParseException {
        if (in.getNextFormat().getValueType() != ValueType.STRING) {
            throw new PacketParseException("expected a string, got " + in.getNextFormat().getValueType());
        }
        return utf8(in, size);
    }

    private static String utf8(MessageUnpacker in, int size) throws IOException, PacketParseException {
        // invalid UTF-8 becomes U+FFFD, as Buffer.toString does in notepack
        return new String(in.readPayload(declared(in.unpackRawStringHeader(), in, size)), StandardCharsets.UTF_8);
    }

    /** As Jackson reads JSON numbers: an int when it fits, else a long, else a BigInteger. */
    private JsonNode readInteger(MessageUnpacker in, MessageFormat format) throws IOException {
        long value;
        if (format == MessageFormat.UINT64) {
            BigInteger big = in.unpackBigInteger();
            if (big.bitLength() >= 64) {
                return nodes.numberNode(big);
            }
            value = big.longValue();
        } else {
            value = in.unpackLong();
        }
        return (int) value == value ? nodes.numberNode((int) value) : nodes.numberNode(value);
    }

    private JsonNode readExtension(MessageUnpacker in, MessageFormat format, int size)
            throws IOException, PacketParseException {
        ExtensionTypeHeader header = in.unpackExtensionTypeHeader();
        int length = declared(header.getLength(), in, size);
        if (header.getType() == TIMESTAMP_EXT) {
            return isoDate(in.unpackTimestamp(header).toEpochMilli());
        }
        if (header.getType() != NOTEPACK_EXT) {
            throw new PacketParseException("unsupported MessagePack extension type " + header.getType());
        }
        byte[] payload = in.readPayload(length);
        return switch (format) {
            case FIXEXT1 -> UNDEFINED;
            case FIXEXT8 -> isoDate(dateMillis(payload));
            case EXT8, EXT16, EXT32 -> nodes.binaryNode(payload); // an ArrayBuffer or typed array (Node)
            default -> throw new PacketParseException("unsupported notepack extension " + format);
        };
    }

    /** notepack's Date: milliseconds as a signed high 32-bit word and an unsigned low one. */
    private static long dateMillis(byte[] p) {
        long hi = ((p[0] & 0xffL) << 24 | (p[1] & 0xffL) << 16 | (p[2] & 0xffL) << 8 | (p[3] & 0xffL));
        long lo = ((p[4] & 0xffL) << 24 | (p[5] & 0xffL) << 16 | (p[6] & 0xffL) << 8 | (p[7] & 0xffL));
        return (long) (int) hi * 0x1_0000_0000L + lo;
    }

    /**
     * Date.prototype.toJSON: {@code 2026-12-07T06:04:00.000Z}, years beyond 0–9999 as ±YYYYYY; null if invalid.
     * Written digit by digit: with String.format a message of dates held its I/O thread ~60 times longer than
     * the same strings (~1.8 µs of CPU per 10-byte date), and carried the default locale's digits.
     */
    private JsonNode isoDate(long millis) {
        if (Math.abs(millis) > JS_MAX_DATE_MILLIS) {
            return nodes.nullNode();
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(millis, MILLIS_PER_DAY));
        int ofDay = (int) Math.floorMod(millis, MILLIS_PER_DAY);
        StringBuilder iso = new StringBuilder(27);
        int year = date.getYear();
        if (year >= 0 && year <= 9999) {
            digits(iso, year, 4);
        } else {
            digits(iso.append(year < 0 ? '-' : '+'), Math.abs(year), 6);
        }
        digits(iso.append('-'), date.getMonthValue(), 2);
        digits(iso.append('-'), date.getDayOfMonth(), 2);
        digits(iso.append('T'), ofDay / 3_600_000, 2);
        digits(iso.append(':'), ofDay / 60_000 % 60, 2);
        digits(iso.append(':'), ofDay / 1000 % 60, 2);
        digits(iso.append('.'), ofDay % 1000, 3);
        return nodes.textNode(iso.append('Z').toString());
    }

    /** {@code value} (≥ 0, at most {@code width} digits) in ASCII digits, zero-padded to {@code width}. */
    private static void digits(StringBuilder out, int value, int width) {
        int end = out.length() + width;
        out.setLength(end); // filled from the right
        for (int i = end - 1; i >= end - width; i--) {
            out.setCharAt(i, (char) ('0' + value % 10));
            value /= 10;
        }
    }

    private static int declared(int length, MessageUnpacker in, int size) throws PacketParseException {
        if (length < 0 || length > size - in.getTotalReadBytes()) {
            throw new PacketParseException("declared length " + length + " exceeds the message");
        }
        return length;
    }

    /** {@code n} entries of at least {@code bytesEach} bytes must fit in what is left of the message. */
    private static void count(int n, int bytesEach, MessageUnpacker in, int size) throws PacketParseException {
        if (n < 0 || (long) n * bytesEach > size - in.getTotalReadBytes()) {
            throw new PacketParseException("declared count " + n + " exceeds the message");
        }
    }

    private void nested(int depth) throws PacketParseException {
        if (depth >= maxDepth) {
            throw new PacketParseException("nested deeper than " + maxDepth);
        }
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes a tree as notepack would write the JS value the default parser's JSON makes of it (so the client
     * reads the same value either way); binary nodes become bin (a Buffer in Node, an ArrayBuffer in browsers).
     */
    public static void write(MessagePacker out, JsonNode node, ObjectMapper mapper) throws IOException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.packNil();
        } else if (node.isTextual()) {
            out.packString(node.textValue());
        } else if (node.isBinary()) {
            writeBinary(out, node.binaryValue());
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
                    out.packDouble(big.doubleValue()); // what JSON.parse makes of the digits
                }
            }
        } else if (node.isFloat()) {
            out.packDouble(Double.parseDouble(Float.toString(node.floatValue()))); // JSON writes the float's digits
        } else if (node.isNumber()) {
            out.packDouble(node.doubleValue());
        } else if (node.isArray()) {
            out.packArrayHeader(node.size());
            for (JsonNode item : node) {
                write(out, item, mapper);
            }
        } else if (node.isObject()) {
            out.packMapHeader(node.size());
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                out.packString(field.getKey());
                write(out, field.getValue(), mapper);
            }
        } else if (node instanceof POJONode pojo) {
            Object value = pojo.getPojo();
            if (value instanceof byte[] bytes) {
                writeBinary(out, bytes);
            } else {
                JsonNode tree = mapper.valueToTree(value);
                if (tree instanceof POJONode) {
                    out.packString(tree.asText()); // not serializable to a tree: its text, never a loop
                } else {
                    write(out, tree, mapper);
                }
            }
        } else {
            out.packString(node.asText());
        }
    }

    private static void writeBinary(MessagePacker out, byte[] bytes) throws IOException {
        out.packBinaryHeader(bytes.length);
        out.writePayload(bytes);
    }
}
