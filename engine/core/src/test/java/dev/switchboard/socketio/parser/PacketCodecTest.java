package dev.switchboard.socketio.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import org.junit.jupiter.api.Test;

import dev.switchboard.engineio.EngineMessage;

class PacketCodecTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final PacketEncoder encoder = new PacketEncoder(mapper);

    private Packet decode(EngineMessage[] messages) throws PacketParseException {
        PacketDecoder decoder = new PacketDecoder(mapper, 10);
        Packet packet = decoder.decodeText(messages[0].text());
        for (int i = 1; i < messages.length; i++) {
            assertThat(packet).isNull();
            packet = decoder.decodeBinary(messages[i].binary());
        }
        assertThat(packet).isNotNull();
        assertThat(decoder.isReconstructing()).isFalse();
        return packet;
    }

    @Test
    void connectWithAndWithoutAuth() throws Exception {
        EngineMessage[] plain = encoder.encode(PacketType.CONNECT, "/", Packet.NO_ACK, null);
        assertThat(plain).hasSize(1);
        assertThat(plain[0].text()).isEqualTo("0");
        Packet p = decode(plain);
        assertThat(p.type()).isEqualTo(PacketType.CONNECT);
        assertThat(p.namespace()).isEqualTo("/");
        assertThat(p.data()).isNull();

        EngineMessage[] auth = encoder.encode(PacketType.CONNECT, "/admin", Packet.NO_ACK, Map.of("token", "abc"));
        assertThat(auth[0].text()).isEqualTo("0/admin,{\"token\":\"abc\"}");
        Packet q = decode(auth);
        assertThat(q.namespace()).isEqualTo("/admin");
        assertThat(q.data().get("token").asText()).isEqualTo("abc");
    }

    @Test
    void connectReplyAndNamespaceWithoutPayload() throws Exception {
        assertThat(encoder.encode(PacketType.CONNECT, "/system", Packet.NO_ACK, Map.of("sid", "x1"))[0].text())
                .isEqualTo("0/system,{\"sid\":\"x1\"}");
        assertThat(encoder.encode(PacketType.CONNECT, "/system", Packet.NO_ACK, null)[0].text()).isEqualTo("0/system,");
        Packet p = new PacketDecoder(mapper, 10).decodeText("0/system,");
        assertThat(p.namespace()).isEqualTo("/system");
        assertThat(p.data()).isNull();
    }

    @Test
    void disconnect() throws Exception {
        EngineMessage[] m = encoder.encode(PacketType.DISCONNECT, "/x", Packet.NO_ACK, null);
        assertThat(m[0].text()).isEqualTo("1/x,");
        Packet p = decode(m);
        assertThat(p.type()).isEqualTo(PacketType.DISCONNECT);
        assertThat(p.namespace()).isEqualTo("/x");
        assertThat(decode(encoder.encode(PacketType.DISCONNECT, "/", Packet.NO_ACK, null)).namespace()).isEqualTo("/");
    }

    @Test
    void eventWithAndWithoutAckId() throws Exception {
        EngineMessage[] m = encoder.encodeEvent("/", "hello", new Object[] {1, "two", Map.of("three", 3)}, Packet.NO_ACK);
        assertThat(m[0].text()).isEqualTo("2[\"hello\",1,\"two\",{\"three\":3}]");
        Packet p = decode(m);
        assertThat(p.type()).isEqualTo(PacketType.EVENT);
        assertThat(p.hasAckId()).isFalse();
        assertThat(p.data().get(0).asText()).isEqualTo("hello");

        EngineMessage[] withAck = encoder.encodeEvent("/chat", "q", new Object[] {null}, 42);
        assertThat(withAck[0].text()).isEqualTo("2/chat,42[\"q\",null]");
        Packet a = decode(withAck);
        assertThat(a.ackId()).isEqualTo(42);
        assertThat(a.namespace()).isEqualTo("/chat");
        assertThat(a.data().get(1).isNull()).isTrue();
    }

    @Test
    void ack() throws Exception {
        EngineMessage[] m = encoder.encodeAck("/", 7, new Object[] {"ok"});
        assertThat(m[0].text()).isEqualTo("37[\"ok\"]");
        Packet p = decode(m);
        assertThat(p.type()).isEqualTo(PacketType.ACK);
        assertThat(p.ackId()).isEqualTo(7);
        assertThat(decode(encoder.encodeAck("/n", 0, new Object[0]))).satisfies(q -> {
            assertThat(q.ackId()).isZero();
            assertThat(q.data().size()).isZero();
        });
    }

    @Test
    void connectErrorObjectAndString() throws Exception {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", "Invalid namespace");
        EngineMessage[] m = encoder.encode(PacketType.CONNECT_ERROR, "/nope", Packet.NO_ACK, error);
        assertThat(m[0].text()).isEqualTo("4/nope,{\"message\":\"Invalid namespace\"}");
        assertThat(decode(m).data().get("message").asText()).isEqualTo("Invalid namespace");
        EngineMessage[] s = encoder.encode(PacketType.CONNECT_ERROR, "/", Packet.NO_ACK, "Not authorized");
        assertThat(s[0].text()).isEqualTo("4\"Not authorized\"");
        assertThat(decode(s).data().asText()).isEqualTo("Not authorized");
    }

    @Test
    void binaryEventWithNestedAttachments() throws Exception {
        byte[] a = {1, 2, 3};
        byte[] b = "hi".getBytes(StandardCharsets.UTF_8);
        EngineMessage[] m = encoder.encodeEvent("/files", "upload",
                new Object[] {a, Map.of("inner", List.of(b)), "text"}, Packet.NO_ACK);
        assertThat(m).hasSize(3);
        assertThat(m[0].text()).isEqualTo(
                "52-/files,[\"upload\",{\"_placeholder\":true,\"num\":0},{\"inner\":[{\"_placeholder\":true,\"num\":1}]},\"text\"]");
        assertThat(m[1].binary()).isEqualTo(a);
        assertThat(m[2].binary()).isEqualTo(b);
        Packet p = decode(m);
        assertThat(p.type()).isEqualTo(PacketType.EVENT);
        assertThat(p.data().get(1)).isInstanceOf(BinaryNode.class);
        assertThat(p.data().get(1).binaryValue()).isEqualTo(a);
        assertThat(p.data().get(2).get("inner").get(0).binaryValue()).isEqualTo(b);
    }

    @Test
    void binaryAckWithIdAndBinaryNodeArgument() throws Exception {
        JsonNode received = BinaryNode.valueOf(new byte[] {9, 8});
        EngineMessage[] m = encoder.encodeAck("/", 12, new Object[] {received});
        assertThat(m[0].text()).isEqualTo("61-12[{\"_placeholder\":true,\"num\":0}]");
        Packet p = decode(m);
        assertThat(p.type()).isEqualTo(PacketType.ACK);
        assertThat(p.ackId()).isEqualTo(12);
        assertThat(p.data().get(0).binaryValue()).isEqualTo(new byte[] {9, 8});
    }

    @Test
    void binaryEventWithAckIdAndEmptyAttachment() throws Exception {
        EngineMessage[] m = encoder.encodeEvent("/", "e", new Object[] {new byte[0]}, 3);
        assertThat(m[0].text()).isEqualTo("51-3[\"e\",{\"_placeholder\":true,\"num\":0}]");
        Packet p = decode(m);
        assertThat(p.ackId()).isEqualTo(3);
        assertThat(p.data().get(1).binaryValue()).isEmpty();
    }

    @Test
    void numericEventNameAndUnicode() throws Exception {
        Packet p = new PacketDecoder(mapper, 10).decodeText("2[7,\"é✓\"]");
        assertThat(p.data().get(0).isNumber()).isTrue();
        EngineMessage[] m = encoder.encodeEvent("/", "ünï", new Object[] {"😀"}, Packet.NO_ACK);
        assertThat(decode(m).data().get(1).asText()).isEqualTo("😀");
    }

    @Test
    void oneEncodingServesManyDecoders() throws Exception {
        EngineMessage[] m = encoder.encodeEvent("/", "x", new Object[] {new byte[] {5}}, Packet.NO_ACK);
        for (int i = 0; i < 3; i++) {
            assertThat(decode(m).data().get(1).binaryValue()).containsExactly(5);
        }
    }
}
