package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

import dev.switchboard.socketio.BroadcastOptions;
import dev.switchboard.socketio.BroadcastPacket;

/** The @socket.io/redis-adapter message layout, and every kind of malformed message it refuses. */
class BroadcastMessageTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void roundTripsTheAdapterLayout() throws Exception {
        byte[] bytes = BroadcastMessage.encode("node1",
                BroadcastPacket.of("/mcp", "update", Map.of("a", 1), new byte[]{1, 2}, null, 2.5, List.of("x")),
                new BroadcastOptions(Set.of("r1"), Set.of("muted"), true, false), MAPPER);
        assertThat(MsgPack.firstString(bytes)).isEqualTo("node1");
        BroadcastMessage m = BroadcastMessage.decode(bytes);
        assertThat(m.uid()).isEqualTo("node1");
        assertThat(m.nsp()).isEqualTo("/mcp");
        assertThat(m.event()).isEqualTo("update");
        assertThat(m.args()).hasSize(5);
        assertThat(m.args().get(0)).isEqualTo(Map.of("a", 1L));
        assertThat((byte[]) m.args().get(1)).containsExactly(1, 2);
        assertThat(m.args().get(2)).isNull();
        assertThat(m.args().get(3)).isEqualTo(2.5);
        assertThat(m.rooms()).containsExactly("r1");
        assertThat(m.except()).containsExactly("muted");
        assertThat(m.droppable()).isTrue();
        assertThat(m.localOptions().local()).isTrue();
    }

    @Test
    void decodesNotepackExtensionsAndNumericRooms() throws Exception {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packArrayHeader(3).packString("emitter");
        p.packMapHeader(3).packString("type").packInt(2).packString("data").packArrayHeader(3).packString("ev");
        p.packExtensionTypeHeader((byte) 0, 1).writePayload(new byte[]{0});            // undefined
        p.packExtensionTypeHeader((byte) 0, 8).writePayload(longBytes(0L));    // Date(0), legacy ext 0
        p.packString("nsp").packString("/");
        p.packMapHeader(2).packString("rooms").packArrayHeader(1).packInt(7);
        p.packString("except").packArrayHeader(0);
        BroadcastMessage m = BroadcastMessage.decode(p.toByteArray());
        assertThat(m.args()).containsExactly(null, "1970-01-01T00:00:00.000Z");
        assertThat(m.rooms()).containsExactly("7");
        assertThat(m.droppable()).isFalse();
    }

    /** What notepack.io 3 writes for a Date (MessagePack timestamps), and its legacy ext 0 (signed hi, unsigned lo ms). */
    @Test
    void decodesEveryNotepackDateAsJavaScriptsToJson() throws Exception {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packArrayHeader(2).packString("emitter");
        p.packMapHeader(2).packString("type").packInt(2).packString("data").packArrayHeader(6).packString("ev");
        p.writePayload(HexFormat.of().parseHex("d6ff6933c340"));                   // timestamp 32
        p.writePayload(HexFormat.of().parseHex("d7ff1d5353006933c340"));           // timestamp 64
        p.writePayload(HexFormat.of().parseHex("c70cff19cf0e40fffffffffffffb2d")); // timestamp 96, before 1970
        p.packExtensionTypeHeader((byte) 0, 8).writePayload(longBytes(1_765_000_000_123L)); // legacy Date
        p.packExtensionTypeHeader((byte) 0, 8).writePayload(longBytes(-1_234_567L));
        BroadcastMessage m = BroadcastMessage.decode(p.toByteArray());
        assertThat(m.args()).containsExactly("2025-12-06T05:46:40.000Z", "2025-12-06T05:46:40.123Z",
                "1969-12-31T23:39:25.433Z", "2025-12-06T05:46:40.123Z", "1969-12-31T23:39:25.433Z");
    }

    @Test
    void refusesEachKindOfMalformedMessage() throws Exception {
        assertRefused(new byte[]{(byte) 0xc1}, "not MessagePack");
        assertRefused("plain text".getBytes(), "trailing bytes");
        assertRefused(pack(p -> p.packString("x")), "expected a MessagePack array");
        assertRefused(pack(p -> p.packArrayHeader(2).packString("u").packString("p")), "packet is not a map");
        assertRefused(pack(p -> p.packArrayHeader(2).packString("u").packMapHeader(1).packString("type").packInt(3)),
                "is not EVENT");
        assertRefused(pack(p -> p.packArrayHeader(2).packString("u").packMapHeader(2).packString("type").packInt(2)
                .packString("data").packArrayHeader(1).packInt(1)), "[event name, ...args]");
        assertRefused(pack(p -> p.packArrayHeader(3).packString("u").packMapHeader(2).packString("type").packInt(2)
                .packString("data").packArrayHeader(1).packString("e")
                .packMapHeader(1).packString("rooms").packString("r")), "rooms is not an array");
        assertRefused(pack(p -> p.packArrayHeader(3).packString("u").packMapHeader(2).packString("type").packInt(2)
                .packString("data").packArrayHeader(1).packString("e")
                .packMapHeader(1).packString("except").packArrayHeader(1).packNil()), "except holds a null room");
        assertRefused(pack(p -> {
            for (int i = 0; i <= MsgPack.MAX_DEPTH + 1; i++) {
                p.packArrayHeader(1);
            }
            p.packNil();
        }), "nested deeper");
        assertRefused(pack(p -> p.packArrayHeader(1).packExtensionTypeHeader((byte) 5, 2).writePayload(new byte[2])),
                "extension type 5");
    }

    private static void assertRefused(byte[] bytes, String reason) {
        assertThatThrownBy(() -> BroadcastMessage.decode(bytes)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining(reason);
    }

    private interface Writer {
        void write(MessageBufferPacker p) throws IOException;
    }

    private static byte[] pack(Writer writer) throws IOException {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        writer.write(p);
        return p.toByteArray();
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    @Test
    void declaredLengthsLongerThanTheMessageAreRefusedNotAllocated() {
        // [bin32 of 2 GiB] and [str32 of 2 GiB] in 6 bytes: must fail as malformed, not allocate 2 GiB
        byte[] hugeBinary = {(byte) 0x91, (byte) 0xc6, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        byte[] hugeString = {(byte) 0x91, (byte) 0xdb, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        byte[] hugeExtension = {(byte) 0x91, (byte) 0xc9, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x00};
        for (byte[] message : new byte[][] {hugeBinary, hugeString, hugeExtension}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> MsgPack.decode(message))
                    .isInstanceOf(MalformedMessageException.class);
        }
    }
}
