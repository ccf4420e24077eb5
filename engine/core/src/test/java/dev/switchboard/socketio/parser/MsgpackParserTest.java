package dev.switchboard.socketio.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

import dev.switchboard.engineio.EngineMessage;
import dev.switchboard.testkit.AllocatedBytes;

/**
 * The msgpack parser against bytes made by the real socket.io-msgpack-parser 3.0.2 (notepack.io 2.2.0): the
 * committed fixtures msgpack-fixtures.json, printed by test-support/node/msgpack-fixtures.mjs. "client" packets
 * are shaped as socket.io-client 4.8 builds them and carry what the JS decoder reads back (data as JSON.stringify
 * makes of it, binary as {"$binary": base64}); "server" packets are the exact bytes our encoder must produce.
 */
class MsgpackParserTest {
    private static final ObjectMapper mapper = new ObjectMapper();
    private static final JsonNode FIXTURES = fixtures();
    private static final HexFormat HEX = HexFormat.of();

    private final SocketIoParser.Encoder encoder = SocketIoParser.MSGPACK.encoder(mapper);
    private final SocketIoParser.Decoder decoder = SocketIoParser.MSGPACK.decoders(mapper, 10).get();

    private static JsonNode fixtures() {
        try (InputStream in = MsgpackParserTest.class.getResourceAsStream("msgpack-fixtures.json")) {
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] clientBytes(String name) {
        return HEX.parseHex(FIXTURES.path("client").path(name).path("hex").asText());
    }

    private static byte[] serverBytes(String name) {
        return HEX.parseHex(FIXTURES.path("server").path(name).path("hex").asText());
    }

    /** The packet as our handlers see it, binary written the fixtures' way. */
    private static JsonNode view(Packet packet) {
        ObjectNode out = mapper.createObjectNode();
        out.put("type", packet.type().ordinal());
        out.put("nsp", packet.namespace());
        if (packet.hasAckId()) {
            long id = packet.ackId();
            out.set("id", (int) id == id ? mapper.getNodeFactory().numberNode((int) id) : mapper.getNodeFactory().numberNode(id));
        } else {
            out.putNull("id");
        }
        out.set("data", packet.data() == null ? mapper.nullNode() : binaryAsBase64(packet.data()));
        return out;
    }

    private static JsonNode binaryAsBase64(JsonNode node) {
        if (node.isBinary()) {
            return mapper.createObjectNode().put("$binary", Base64.getEncoder().encodeToString(bytes(node)));
        }
        if (node.isArray()) {
            ArrayNode copy = mapper.createArrayNode();
            node.forEach(item -> copy.add(binaryAsBase64(item)));
            return copy;
        }
        if (node.isObject()) {
            ObjectNode copy = mapper.createObjectNode();
            node.properties().forEach(e -> copy.set(e.getKey(), binaryAsBase64(e.getValue())));
            return copy;
        }
        return node;
    }

    private static byte[] bytes(JsonNode binary) {
        try {
            return binary.binaryValue();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    // ---------------------------------------------------------------- client -> server

    @ParameterizedTest
    @ValueSource(strings = {"connectWithoutAuth", "connectWithAuth", "eventWithAck", "eventWithBinary",
            "eventWithJsValues", "ack", "disconnect", "largestAckId"})
    void decodesWhatTheRealClientParserSendsAsTheJsDecoderReadsIt(String name) throws Exception {
        Packet packet = decoder.decodeBinary(clientBytes(name));
        assertThat(view(packet)).isEqualTo(FIXTURES.path("client").path(name).path("decoded"));
    }

    @Test
    void jsValuesBecomeWhatTheDefaultParsersJsonWouldCarry() throws Exception {
        JsonNode data = decoder.decodeBinary(clientBytes("eventWithJsValues")).data();
        assertThat(data.get(1).isNull()).as("undefined in an array").isTrue();
        assertThat(data.get(3).isNull()).as("NaN").isTrue();
        assertThat(data.get(4).isNull()).as("Infinity").isTrue();
        assertThat(data.get(7).isLong()).as("2^40 is a long, as Jackson reads it from JSON").isTrue();
        assertThat(data.get(9).asText()).as("Date").isEqualTo("2026-12-07T06:04:00.123Z");
        assertThat(data.get(10).has("a")).as("undefined field dropped").isFalse();
        assertThat(data.get(13).asText()).isEqualTo("é✓😀");
        assertThat(data.get(14).asText()).hasSize(300);
    }

    @Test
    void bufferArrayBufferAndTypedArrayArriveAsBinary() throws Exception {
        JsonNode data = decoder.decodeBinary(clientBytes("eventWithBinary")).data();
        assertThat(bytes(data.get(1).get("file"))).containsExactly(1, 2, 3);
        assertThat(bytes(data.get(2))).containsExactly(4, 5);
        assertThat(bytes(data.get(3))).containsExactly(6, 7, 8);
    }

    @Test
    void anAckIdBeyondFifteenDigitsIsRefusedLikeTheDefaultParser() {
        assertThatThrownBy(() -> decoder.decodeBinary(clientBytes("ackIdTooLarge")))
                .isInstanceOf(PacketParseException.class).hasMessage("invalid ack id");
    }

    // ---------------------------------------------------------------- server -> client

    @Test
    void encodesExactlyTheBytesTheRealParserMakesOfTheSamePackets() {
        Map<String, Object> upload = new LinkedHashMap<>();
        upload.put("name", "a.bin");
        upload.put("bytes", new byte[] {1, 2, 3});
        Map<String, EngineMessage[]> encoded = new LinkedHashMap<>();
        encoded.put("connectReply", encoder.encode(PacketType.CONNECT, "/", Packet.NO_ACK, Map.of("sid", "abc")));
        encoded.put("event", encoder.encodeEvent("/chat", "hello", new Object[] {1, "two", Map.of("three", 3)},
                Packet.NO_ACK));
        encoded.put("eventWithAck", encoder.encodeEvent("/", "q", new Object[] {null}, 42));
        encoded.put("eventWithBinary", encoder.encodeEvent("/files", "upload", List.of(upload), Packet.NO_ACK));
        encoded.put("ack", encoder.encodeAck("/", 7, new Object[] {"ok"}));
        encoded.put("connectError", encoder.encode(PacketType.CONNECT_ERROR, "/nope", Packet.NO_ACK,
                Map.of("message", "Invalid namespace")));
        encoded.put("disconnect", encoder.encode(PacketType.DISCONNECT, "/x", Packet.NO_ACK, null));
        encoded.put("numbersAndStrings", encoder.encodeEvent("/", "n", new Object[] {0, 127, 128, 255, 256, 65536,
                1L << 32, -1, -33, -129, -40000, -(1L << 32), 1.5, "é✓😀", "x".repeat(300)}, Packet.NO_ACK));

        assertThat(encoded.keySet()).containsExactlyInAnyOrderElementsOf(() -> FIXTURES.path("server").fieldNames());
        encoded.forEach((name, messages) -> {
            assertThat(messages).as(name).hasSize(1);
            assertThat(messages[0].isBinary()).as(name).isTrue();
            assertThat(HEX.formatHex(messages[0].binary())).as(name).isEqualTo(HEX.formatHex(serverBytes(name)));
        });
    }

    @Test
    void whatTheServerSendsDecodesBackToTheSameValues() throws Exception {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("bin", new byte[] {9, 8});
        nested.put("list", List.of(1.25f, Long.MAX_VALUE, new java.math.BigInteger("18446744073709551615")));
        EngineMessage[] m = encoder.encodeEvent("/", "e", new Object[] {nested}, 5);
        Packet p = decoder.decodeBinary(m[0].binary());
        assertThat(p.type()).isEqualTo(PacketType.EVENT);
        assertThat(p.ackId()).isEqualTo(5);
        assertThat(bytes(p.data().get(1).get("bin"))).containsExactly(9, 8);
        assertThat(p.data().get(1).get("list").toString()).isEqualTo("[1.25,9223372036854775807,18446744073709551615]");
    }

    @Test
    void aFloatTravelsAsTheDecimalJsonWouldWrite() throws Exception {
        EngineMessage[] m = encoder.encodeEvent("/", "f", new Object[] {1.1f}, Packet.NO_ACK);
        assertThat(decoder.decodeBinary(m[0].binary()).data().get(1).doubleValue()).isEqualTo(1.1);
    }

    @Test
    void binaryPacketTypesDoNotExistWithThisParser() {
        assertThatThrownBy(() -> encoder.encode(PacketType.BINARY_EVENT, "/", Packet.NO_ACK, new Object[] {"e"}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------- strictness

    private static byte[] pack(PackAction action) throws IOException {
        try (MessageBufferPacker out = MessagePack.newDefaultBufferPacker()) {
            action.write(out);
            return out.toByteArray();
        }
    }

    private interface PackAction {
        void write(MessageBufferPacker out) throws IOException;
    }

    /** {type, nsp, data}: data written by {@code data}. */
    private static byte[] packet(int type, PackAction data) throws IOException {
        return pack(out -> {
            out.packMapHeader(3).packString("type").packInt(type).packString("nsp").packString("/").packString("data");
            data.write(out);
        });
    }

    private void refused(byte[] bytes, String message) {
        assertThatThrownBy(() -> decoder.decodeBinary(bytes)).isInstanceOf(PacketParseException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aTextMessageIsAParseError() {
        assertThatThrownBy(() -> decoder.decodeText("0")).isInstanceOf(PacketParseException.class)
                .hasMessageContaining("msgpack");
    }

    @Test
    void malformedPacketsAreParseErrors() throws Exception {
        refused(new byte[0], "not a MessagePack map");
        refused(pack(out -> out.packArrayHeader(1).packInt(0)), "not a MessagePack map");
        refused(pack(out -> out.packMapHeader(1).packString("nsp").packString("/")), "no packet type");
        refused(pack(out -> out.packMapHeader(1).packString("type").packInt(0)), "no namespace");
        refused(pack(out -> out.packMapHeader(2).packString("type").packInt(5).packString("nsp").packString("/")),
                "unknown packet type");
        refused(pack(out -> out.packMapHeader(2).packString("type").packString("2").packString("nsp").packString("/")),
                "unknown packet type");
        refused(pack(out -> out.packMapHeader(2).packString("type").packInt(0).packString("nsp").packInt(1)),
                "expected a string");
        refused(pack(out -> out.packMapHeader(2).packInt(1).packInt(0).packString("nsp").packString("/")),
                "expected a string");
        refused(packet(0, out -> out.packNil()), "invalid payload for CONNECT");
        refused(packet(1, out -> out.packMapHeader(0)), "invalid payload for DISCONNECT");
        refused(packet(2, out -> out.packArrayHeader(0)), "invalid payload for EVENT");
        refused(packet(2, out -> out.packArrayHeader(1).packString("connect")), "invalid payload for EVENT");
        refused(packet(2, out -> out.packMapHeader(0)), "invalid payload for EVENT");
        refused(packet(3, out -> out.packString("x")), "invalid payload for ACK");
        byte[] ok = clientBytes("eventWithAck");
        byte[] trailing = java.util.Arrays.copyOf(ok, ok.length + 1);
        refused(trailing, "trailing bytes");
        refused(java.util.Arrays.copyOf(ok, ok.length - 1), ""); // truncated
    }

    @Test
    void ackIdsMustBeNonNegativeIntegers() throws Exception {
        for (PackAction id : List.<PackAction>of(out -> out.packInt(-1), out -> out.packDouble(1.5),
                out -> out.packNil(), out -> out.packString("1"), out -> out.packBigInteger(
                        new java.math.BigInteger("18446744073709551615")))) {
            refused(pack(out -> {
                out.packMapHeader(4).packString("type").packInt(2).packString("nsp").packString("/")
                        .packString("data").packArrayHeader(1).packString("e").packString("id");
                id.write(out);
            }), "invalid ack id");
        }
    }

    @Test
    void declaredLengthsAndCountsBeyondTheMessageAreRefusedBeforeAnyAllocation() throws Exception {
        refused(packet(2, out -> out.packArrayHeader(1).packRawStringHeader(Integer.MAX_VALUE)), "exceeds the message");
        refused(packet(2, out -> out.packArrayHeader(1).packBinaryHeader(1 << 30)), "exceeds the message");
        refused(packet(2, out -> out.packArrayHeader(Integer.MAX_VALUE)), "exceeds the message");
        refused(packet(2, out -> out.packArrayHeader(2).packString("e").packMapHeader(1 << 28)), "exceeds the message");
        refused(packet(2, out -> out.packArrayHeader(2).packString("e").packExtensionTypeHeader((byte) 0, 1 << 30)),
                "exceeds the message");
    }

    @Test
    void nestingIsBoundedAsJacksonBoundsJson() throws Exception {
        int limit = mapper.getFactory().streamReadConstraints().getMaxNestingDepth();
        refused(packet(2, out -> {
            out.packArrayHeader(2).packString("e");
            for (int i = 0; i < limit; i++) {
                out.packArrayHeader(1);
            }
            out.packInt(0);
        }), "nested deeper than " + limit);
        Packet deepest = decoder.decodeBinary(packet(2, out -> {
            out.packArrayHeader(2).packString("e");
            for (int i = 0; i < limit - 1; i++) {
                out.packArrayHeader(1);
            }
            out.packInt(0);
        }));
        assertThat(deepest.data().size()).isEqualTo(2);
    }

    @Test
    void unknownExtensionsAndNonStringKeysAreRefused() throws Exception {
        refused(packet(2, out -> {
            out.packArrayHeader(2).packString("e").packExtensionTypeHeader((byte) 7, 1);
            out.writePayload(new byte[] {0});
        }), "extension type 7");
        refused(packet(2, out -> out.packArrayHeader(2).packString("e").packMapHeader(1).packInt(1).packInt(2)),
                "expected a string");
    }

    @Test
    void msgpackTimestampsAreDatesToo() throws Exception {
        Packet p = decoder.decodeBinary(packet(2, out -> out.packArrayHeader(2).packString("e")
                .packTimestamp(java.time.Instant.parse("2026-12-07T06:04:00.123Z"))));
        assertThat(p.data().get(1).asText()).isEqualTo("2026-12-07T06:04:00.123Z");
    }

    @Test
    void aMessageOfDatesCostsAboutWhatTheSameStringsCost() throws Exception {
        // 50,000 notepack Dates (10 bytes each) against the 50,000 strings they become, decoded on the I/O thread;
        // counted in bytes allocated (a count, not a timing): String.format made each date cost ~60 times the CPU
        int count = 50_000;
        byte[] millis = {0, 0, 1, (byte) 0xa2, 0x4f, 0x1a, 0x18, (byte) 0xfb}; // 2026-12-07T06:04:00.123Z
        byte[] dates = packet(2, out -> {
            out.packArrayHeader(2).packString("e").packArrayHeader(count);
            for (int i = 0; i < count; i++) {
                out.packExtensionTypeHeader((byte) 0, 8).writePayload(millis);
            }
        });
        String iso = decoder.decodeBinary(dates).data().get(1).get(0).asText();
        byte[] strings = packet(2, out -> {
            out.packArrayHeader(2).packString("e").packArrayHeader(count);
            for (int i = 0; i < count; i++) {
                out.packString(iso);
            }
        });
        long dateBytes = allocated(dates);
        long stringBytes = allocated(strings);
        assertThat(dateBytes).as("bytes allocated for %d dates %d, for the same strings %d", count, dateBytes,
                stringBytes).isLessThan(3 * stringBytes);
    }

    /** Bytes this thread allocates for one decode, after warming up. */
    private long allocated(byte[] message) throws Exception {
        return AllocatedBytes.leastOfHeavyCalls(3, 3, () -> decoder.decodeBinary(message));
    }

    @Test
    void datesAreWrittenInAsciiDigitsWhateverTheDefaultLocale() throws Exception {
        java.util.Locale before = java.util.Locale.getDefault(java.util.Locale.Category.FORMAT);
        java.util.Locale.setDefault(java.util.Locale.Category.FORMAT, java.util.Locale.forLanguageTag("ar-SA"));
        try {
            Packet p = decoder.decodeBinary(packet(2, out -> out.packArrayHeader(2).packString("e")
                    .packTimestamp(java.time.Instant.parse("2026-12-07T06:04:00.123Z"))));
            assertThat(p.data().get(1).asText()).isEqualTo("2026-12-07T06:04:00.123Z");
        } finally {
            java.util.Locale.setDefault(java.util.Locale.Category.FORMAT, before);
        }
    }

    @Test
    void unknownFieldsAreSkipped() throws Exception {
        Packet p = decoder.decodeBinary(pack(out -> out.packMapHeader(4).packString("options").packMapHeader(1)
                .packString("compress").packBoolean(true).packString("type").packInt(2).packString("nsp")
                .packString("/a").packString("data").packArrayHeader(1).packString("e")));
        assertThat(p.namespace()).isEqualTo("/a");
        assertThat(p.hasAckId()).isFalse();
    }
}
