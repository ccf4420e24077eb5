package dev.switchboard.redis;

import java.io.IOException;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

import dev.switchboard.socketio.parser.MsgpackValues;
import dev.switchboard.socketio.parser.PacketParseException;

/**
 * Whole Redis messages in MessagePack, as notepack.io (the codec of @socket.io/redis-adapter and -emitter) writes
 * them; the values themselves are read and written by the engine's one codec, {@link MsgpackValues}. Decodes to
 * plain Java values Jackson serializes back to what a Node server would send: maps, lists, strings,
 * Long/BigInteger, Double, Boolean, null, byte[] (binary attachments); a Date is its ISO-8601 string.
 */
final class MsgPack {
    static final int MAX_DEPTH = 64;
    private static final MsgpackValues VALUES = new MsgpackValues(JsonNodeFactory.instance, MAX_DEPTH);
    /** Trees to maps and lists; integers as Long, as they always were read here. */
    private static final ObjectReader JAVA_VALUES = new ObjectMapper().readerFor(Object.class)
            .with(DeserializationFeature.USE_LONG_FOR_INTS);

    private MsgPack() {
    }

    static Object decode(byte[] bytes) throws MalformedMessageException {
        JsonNode tree = decodeTree(bytes);
        try {
            return tree == MsgpackValues.UNDEFINED ? null : JAVA_VALUES.readValue(tree);
        } catch (IOException e) {
            throw new MalformedMessageException("not MessagePack: " + e.getMessage());
        }
    }

    /** The message as a tree; {@link MsgpackValues#UNDEFINED} for a lone {@code undefined}. */
    static JsonNode decodeTree(byte[] bytes) throws MalformedMessageException {
        try (MessageUnpacker in = MessagePack.newDefaultUnpacker(bytes)) {
            JsonNode value = VALUES.read(in, 0, bytes.length);
            if (in.hasNext()) {
                throw new MalformedMessageException("trailing bytes after the MessagePack value");
            }
            return value;
        } catch (PacketParseException e) {
            throw new MalformedMessageException(e.getMessage());
        } catch (IOException | RuntimeException | StackOverflowError e) {
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

    // ---------------------------------------------------------------- encoding

    static MessageBufferPacker packer() {
        return MessagePack.newDefaultBufferPacker();
    }

    static void writeStrings(MessagePacker out, Iterable<String> values, int size) throws IOException {
        out.packArrayHeader(size);
        for (String v : values) {
            out.packString(v);
        }
    }
}
