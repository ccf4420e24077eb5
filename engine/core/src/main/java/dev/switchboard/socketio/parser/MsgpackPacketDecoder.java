package dev.switchboard.socketio.parser;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * Decodes socket.io-msgpack-parser packets: each binary message is one MessagePack map {@code {type, nsp, data?,
 * id?}}; other fields (socket.io-client adds {@code options}) are skipped. As strict as the default parser:
 * types 0–4 only, a string namespace, the same payload rules, an ack id of at most 15 digits, nothing after the
 * map, nesting bounded like Jackson's for JSON, no declared length beyond the message. Text messages are refused
 * (a client with the default parser). Stateless: one instance serves every connection.
 */
final class MsgpackPacketDecoder implements SocketIoParser.Decoder {
    private final MsgpackValues values;

    MsgpackPacketDecoder(ObjectMapper mapper) {
        this.values = new MsgpackValues(mapper.getNodeFactory(),
                mapper.getFactory().streamReadConstraints().getMaxNestingDepth());
    }

    @Override
    public Packet decodeText(String text) throws PacketParseException {
        throw new PacketParseException("text message, but this server speaks the msgpack parser");
    }

    @Override
    public Packet decodeBinary(byte[] data) throws PacketParseException {
        try (MessageUnpacker in = MessagePack.newDefaultUnpacker(data)) {
            Packet packet = readPacket(in, data.length);
            if (in.hasNext()) {
                throw new PacketParseException("trailing bytes after the packet");
            }
            return packet;
        } catch (PacketParseException e) {
            throw e;
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw new PacketParseException("invalid MessagePack: " + e.getClass().getSimpleName());
        }
    }

    private Packet readPacket(MessageUnpacker in, int size) throws IOException, PacketParseException {
        if (!in.hasNext() || in.getNextFormat().getValueType() != ValueType.MAP) {
            throw new PacketParseException("packet is not a MessagePack map");
        }
        int fields = in.unpackMapHeader();
        PacketType type = null;
        String namespace = null;
        JsonNode data = MsgpackValues.UNDEFINED;
        long ackId = Packet.NO_ACK;
        for (int i = 0; i < fields; i++) {
            switch (values.readString(in, size)) {
                case "type" -> type = packetType(values.read(in, 0, size));
                case "nsp" -> namespace = values.readString(in, size);
                case "data" -> data = values.read(in, 0, size);
                case "id" -> ackId = ackId(values.read(in, 0, size));
                default -> in.skipValue();
            }
        }
        if (type == null) {
            throw new PacketParseException("no packet type");
        }
        if (namespace == null) {
            throw new PacketParseException("no namespace");
        }
        JsonNode payload = data == MsgpackValues.UNDEFINED ? null : data;
        if (!PayloadRules.isValid(type, payload)) {
            throw new PacketParseException("invalid payload for " + type);
        }
        return new Packet(type, namespace, ackId, payload);
    }

    /** CONNECT to CONNECT_ERROR: the msgpack parser has no BINARY_* types. */
    private static PacketType packetType(JsonNode value) throws PacketParseException {
        if (!value.isIntegralNumber() || !value.canConvertToInt()
                || value.intValue() < PacketType.CONNECT.ordinal() || value.intValue() > PacketType.CONNECT_ERROR.ordinal()) {
            throw new PacketParseException("unknown packet type");
        }
        return PacketType.ofDigit((char) ('0' + value.intValue()));
    }

    /** An ack id, or none when {@code undefined} (notepack writes a field set to undefined). */
    private static long ackId(JsonNode value) throws PacketParseException {
        if (value == MsgpackValues.UNDEFINED) {
            return Packet.NO_ACK;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()
                || value.longValue() < 0 || value.longValue() > PayloadRules.MAX_ACK_ID) {
            throw new PacketParseException("invalid ack id");
        }
        return value.longValue();
    }
}
