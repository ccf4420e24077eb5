package dev.switchboard.socketio.parser;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

import dev.switchboard.engineio.EngineMessage;

/**
 * Encodes packets as socket.io-msgpack-parser does: one binary Engine.IO message holding the map
 * {@code {type, nsp, data, id}} ({@code data} and {@code id} only when present: the client refuses a null id).
 * Binary values stay inline, so EVENT and ACK never become BINARY_*. Thread-safe.
 */
final class MsgpackPacketEncoder implements SocketIoParser.Encoder {
    /** Most packets are small: start below msgpack-core's 8 KiB default buffer, it grows when needed. */
    private static final MessagePack.PackerConfig PACKER = new MessagePack.PackerConfig().withBufferSize(512);

    private final ObjectMapper mapper;

    MsgpackPacketEncoder(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public EngineMessage[] encode(PacketType type, String namespace, long ackId, Object data) {
        if (type.isBinary()) {
            throw new IllegalArgumentException(type + " does not exist with the msgpack parser (binary stays inline)");
        }
        JsonNode tree = data == null ? null : mapper.valueToTree(data); // the server's mapper decides, as for JSON
        try (MessageBufferPacker out = PACKER.newBufferPacker()) {
            out.packMapHeader(2 + (tree != null ? 1 : 0) + (ackId >= 0 ? 1 : 0));
            out.packString("type").packInt(type.ordinal());
            out.packString("nsp").packString(namespace == null ? "/" : namespace);
            if (tree != null) {
                out.packString("data");
                MsgpackValues.write(out, tree, mapper);
            }
            if (ackId >= 0) {
                out.packString("id").packLong(ackId);
            }
            return new EngineMessage[] {EngineMessage.binary(out.toByteArray())};
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialize packet data: " + e.getMessage(), e);
        }
    }
}
