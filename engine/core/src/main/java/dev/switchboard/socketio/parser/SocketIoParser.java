package dev.switchboard.socketio.parser;

import java.util.List;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import dev.switchboard.engineio.EngineMessage;

/**
 * How Socket.IO packets travel in Engine.IO messages. Chosen once per server, like Node's
 * {@code new Server({parser})}: every client of the server must be built with the same parser (a client with
 * another one is closed with a parse error at its first packet).
 */
public enum SocketIoParser {
    /** socket.io-parser, the client's built-in: a text message, then one binary message per attachment. */
    DEFAULT {
        @Override
        public Encoder encoder(ObjectMapper mapper) {
            return new PacketEncoder(mapper);
        }

        @Override
        public Supplier<Decoder> decoders(ObjectMapper mapper, int maxAttachments) {
            ObjectReader json = PacketDecoder.jsonReader(mapper);
            return () -> new PacketDecoder(json, maxAttachments);
        }
    },

    /**
     * socket.io-msgpack-parser (3.x, protocol 5): every packet is one binary message holding one MessagePack
     * map {@code {type, nsp, data?, id?}}, binary values inline, no attachments.
     */
    MSGPACK {
        @Override
        public Encoder encoder(ObjectMapper mapper) {
            return new MsgpackPacketEncoder(mapper);
        }

        @Override
        public Supplier<Decoder> decoders(ObjectMapper mapper, int maxAttachments) {
            MsgpackPacketDecoder shared = new MsgpackPacketDecoder(mapper); // stateless: one for every connection
            return () -> shared;
        }
    };

    /** The encoder of a server (thread-safe; one per server). */
    public abstract Encoder encoder(ObjectMapper mapper);

    /** Makes the decoder of each new connection. */
    public abstract Supplier<Decoder> decoders(ObjectMapper mapper, int maxAttachments);

    /**
     * Encodes packets into Engine.IO messages. Thread-safe; the returned messages may be sent to any number of
     * sockets (a broadcast is encoded once).
     */
    public interface Encoder {
        /**
         * Any packet. {@code data} is serialized with the server's Jackson mapper (null: no payload); byte[] (and
         * Jackson BinaryNode) anywhere in it travel as binary. {@code ackId} is {@link Packet#NO_ACK} for none.
         */
        EngineMessage[] encode(PacketType type, String namespace, long ackId, Object data);

        /** An EVENT {@code [event, args...]}; {@code ackId} is {@link Packet#NO_ACK} when no ack is wanted. */
        default EngineMessage[] encodeEvent(String namespace, String event, Object[] args, long ackId) {
            Object[] data = new Object[args.length + 1];
            data[0] = event;
            System.arraycopy(args, 0, data, 1, args.length);
            return encode(PacketType.EVENT, namespace, ackId, data);
        }

        /** An EVENT {@code [event, args...]} from a list of arguments. */
        default EngineMessage[] encodeEvent(String namespace, String event, List<?> args, long ackId) {
            Object[] data = new Object[args.size() + 1];
            data[0] = event;
            for (int i = 0; i < args.size(); i++) {
                data[i + 1] = args.get(i);
            }
            return encode(PacketType.EVENT, namespace, ackId, data);
        }

        /**
         * Whether {@link #appendArgument} works: true when appending to an encoded EVENT is cheaper than encoding
         * it again.
         */
        default boolean appendsArguments() {
            return false;
        }

        /**
         * {@code event} (what {@link #encodeEvent} made, without an ack id) with {@code argument} appended as its
         * last argument: the messages {@code encodeEvent} would make with it at the end of the list, or null when
         * this encoder cannot tell without encoding again. {@code argument} is a string.
         */
        default EngineMessage[] appendArgument(EngineMessage[] event, String argument) {
            return null;
        }

        /** An ACK carrying {@code args}. */
        default EngineMessage[] encodeAck(String namespace, long ackId, Object[] args) {
            return encode(PacketType.ACK, namespace, ackId, args);
        }
    }

    /**
     * Decodes the packets of one connection, fed in arrival order. Anything malformed throws
     * {@link PacketParseException} (the connection is then closed) and nothing else escapes.
     */
    public interface Decoder {
        /** A text message; null when it starts a packet whose binary parts are still to come. */
        Packet decodeText(String text) throws PacketParseException;

        /** A binary message; null while a packet still waits for more parts. */
        Packet decodeBinary(byte[] data) throws PacketParseException;

        /**
         * Estimated heap held by the packet still waiting for its binary parts (its decoded text part and the
         * parts so far, see {@link DecodedSize}); 0 when none is waiting.
         */
        default long unfinishedHeapBytes() {
            return 0;
        }
    }
}
