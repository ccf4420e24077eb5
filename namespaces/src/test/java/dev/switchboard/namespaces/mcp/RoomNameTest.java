package dev.switchboard.namespaces.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;

import dev.switchboard.namespaces.core.ProducerException;

class RoomNameTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void acceptsBackendIdsInBothShapes() throws Exception {
        assertThat(RoomName.parse("join", JSON.readTree("{\"room\":\"thread-42\"}"))).isEqualTo("thread-42");
        assertThat(RoomName.parse("join", JSON.readTree("\"mcp:server/files\""))).isEqualTo("mcp:server/files");
        assertThat(RoomName.validate("exécution 7 \uD83D\uDE80")).isEqualTo("exécution 7 \uD83D\uDE80");
        assertThat(RoomName.validate("x".repeat(128))).hasSize(128);
    }

    @Test
    void refusesEachKindOfBadName() {
        String[] bad = {"", "x".repeat(129), "a\nb", "tab\there", "nul\0", "bell\u0007", "del\u007f", "   ",
            "rtl\u202Eoverride", "zero\u200Bwidth", "lone\uD83D", "line\u2028sep"};
        for (String name : bad) {
            assertThatThrownBy(() -> RoomName.validate(name), name)
                    .isInstanceOf(ProducerException.class)
                    .extracting(e -> ((ProducerException) e).code()).isEqualTo("BAD_REQUEST");
        }
        for (JsonNode node : new JsonNode[] {MissingNode.getInstance(),
                JsonNodeFactory.instance.numberNode(5), JsonNodeFactory.instance.objectNode(),
                JsonNodeFactory.instance.objectNode().put("room", 1), JsonNodeFactory.instance.arrayNode().add("r")}) {
            assertThatThrownBy(() -> RoomName.parse("join", node), node.toString())
                    .isInstanceOf(ProducerException.class)
                    .hasMessageContaining("join expects {room}");
        }
    }
}
