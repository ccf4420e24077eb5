package dev.switchboard.socketio.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.junit.jupiter.api.Test;

import dev.switchboard.engineio.EngineMessage;

/** An offset appended to an encoded EVENT is exactly what encoding the EVENT with it would give. */
class AppendArgumentTest {
    private static final String OFFSET = "42-k3j9x0ab";

    @Test
    void appendingIsTheSameAsEncodingWithTheArgument() {
        PacketEncoder encoder = new PacketEncoder(new ObjectMapper());
        assertThat(encoder.appendsArguments()).isTrue();
        List<List<Object>> shapes = List.of(
                List.of(),
                List.of("text"),
                List.of(1, 2.5, true),
                Arrays.asList(null, "x"),
                List.of(Map.of("t", 0, "p", "xx\"\\\u00e9\u2603")),
                List.of(List.of(1, List.of(2, "]")), Map.of("nested", Map.of("a", List.of()))),
                List.of("ends with ]"));
        for (String namespace : List.of("/", "/mcp")) {
            for (List<Object> args : shapes) {
                EngineMessage[] plain = encoder.encodeEvent(namespace, "event", args, Packet.NO_ACK);
                List<Object> withOffset = new ArrayList<>(args);
                withOffset.add(OFFSET);
                assertThat(encoder.appendArgument(plain, OFFSET)[0].text()).as(namespace + " " + args)
                        .isEqualTo(encoder.encodeEvent(namespace, "event", withOffset, Packet.NO_ACK)[0].text());
            }
        }
    }

    @Test
    void aBinaryEventGetsTheArgumentInItsHeaderAndKeepsItsAttachments() {
        PacketEncoder encoder = new PacketEncoder(new ObjectMapper());
        for (List<Object> args : List.<List<Object>>of(List.of(new byte[] {1, 2}),
                List.of("a", new byte[] {3}, Map.of("b", new byte[] {4, 5})))) {
            EngineMessage[] plain = encoder.encodeEvent("/mcp", "event", args, Packet.NO_ACK);
            List<Object> withOffset = new ArrayList<>(args);
            withOffset.add(OFFSET);
            EngineMessage[] encoded = encoder.encodeEvent("/mcp", "event", withOffset, Packet.NO_ACK);
            EngineMessage[] spliced = encoder.appendArgument(plain, OFFSET);
            assertThat(spliced).hasSameSizeAs(encoded);
            assertThat(spliced[0].text()).isEqualTo(encoded[0].text());
            for (int i = 1; i < encoded.length; i++) {
                assertThat(spliced[i].binary()).isEqualTo(encoded[i].binary());
            }
            assertThat(plain[0].text()).as("the plain encoding is left as it was").doesNotContain(OFFSET);
        }
    }

    @Test
    void whatCannotBeSplicedIsEncodedAgain() {
        PacketEncoder encoder = new PacketEncoder(new ObjectMapper());
        EngineMessage[] plain = encoder.encodeEvent("/mcp", "event", List.of(1), Packet.NO_ACK);
        assertThat(encoder.appendArgument(plain, "needs \"escaping\"")).isNull();
        PacketEncoder indenting = new PacketEncoder(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT));
        assertThat(indenting.appendsArguments()).isFalse();
        assertThat(indenting.appendArgument(indenting.encodeEvent("/", "e", List.of(), Packet.NO_ACK), OFFSET)).isNull();
        assertThat(new MsgpackPacketEncoder(new ObjectMapper()).appendsArguments()).isFalse();
    }
}
