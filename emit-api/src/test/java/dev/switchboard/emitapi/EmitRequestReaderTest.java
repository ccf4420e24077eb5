package dev.switchboard.emitapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * The streaming {@link EmitRequestReader} (POST /emit) must answer every body exactly like the tree path
 * ({@code Json.MAPPER.readTree} + {@link EmitRequestParser}, still used by /emit/batch): the same request, or the
 * same error code; the same message wherever the message comes from the field checks.
 */
class EmitRequestReaderTest {
    private static final List<String> BODIES = List.of(
            // accepted
            "{\"namespace\":\"/mcp\",\"room\":\"bench\",\"event\":\"bench\",\"data\":{\"t\":0,\"p\":\"xxxx\"}}",
            "{\"namespace\":\"mcp\",\"event\":\"e\"}",
            "{\"event\":\"e\",\"namespace\":\"/mcp\",\"data\":null}",
            "{\"namespace\":\"/mcp\",\"event\":\"e\",\"data\":[1,2.5,\"x\",true,null,{\"a\":[]}]}",
            "{\"namespace\":\"/mcp\",\"event\":\"e\",\"data\":12345678901234567890}",
            "{\"namespace\":\"/mcp\",\"event\":\"e\",\"room\":\"a\",\"rooms\":[\"b\",\"c\"],\"except\":[\"d\"]}",
            "{\"namespace\":\"/mcp\",\"event\":\"e\",\"rooms\":\"b\",\"except\":\"d\",\"volatile\":true}",
            "{\"namespace\":\"/mcp\",\"event\":\"e\",\"room\":null,\"rooms\":null,\"except\":null,\"volatile\":null}",
            "  {\"namespace\":\"/mcp\",\"event\":\"\u00e9v\u00e9nement \u2603\",\"data\":\"\u00fc\"}\n",
            // refused: shape and fields
            "[1,2]", "\"text\"", "5", "null",
            "{\"event\":\"x\"}",
            "{\"namespace\":\"/mcp\"}",
            "{\"namespace\":\"/mcp\",\"event\":\"\"}",
            "{\"namespace\":\" \",\"event\":\"x\"}",
            "{\"namespace\":null,\"event\":\"x\"}",
            "{\"namespace\":1,\"event\":\"x\"}",
            "{\"namespace\":\"/mcp\",\"event\":[\"x\"]}",
            "{\"namespace\":\"/mcp\",\"event\":\"disconnect\"}",
            "{\"namespace\":\"/mcp\",\"event\":\"x\",\"room\":5}",
            "{\"namespace\":\"/mcp\",\"event\":\"x\",\"room\":[\"a\"]}",
            "{\"namespace\":\"/mcp\",\"event\":\"x\",\"room\":\"\"}",
            "{\"namespace\":\"/mcp\",\"event\":\"x\",\"rooms\":[\"a\",2]}",
            "{\"namespace\":\"/mcp\",\"event\":\"x\",\"rooms\":[\"a\",\"\"]}",
            "{\"namespace\":\"/mcp\",\"event\":\"x\",\"except\":{}}",
            "{\"namespace\":\"/mcp\",\"event\":\"x\",\"volatile\":\"yes\"}",
            "{\"namespace\":\"/mcp\",\"event\":\"x\",\"rom\":\"a\"}",
            // the first unknown field wins over every later field check, as in the tree path
            "{\"namespace\":1,\"rom\":\"a\",\"other\":{\"deep\":[1]}}",
            "{\"namespace\":\"/mcp\",\"event\":\"x\",\"room\":5,\"volatile\":\"no\"}",
            // refused: not JSON (syntax, duplicates anywhere, trailing tokens) beats every field check
            "{\"namespace\":", "not json", "   ",
            "{\"namespace\":\"/mcp\",\"event\":\"x\"} trailing",
            "{\"namespace\":\"/mcp\",\"event\":\"x\"} {}",
            "[1] [2]",
            "{\"namespace\":\"/mcp\",\"event\":\"x\",\"room\":\"a\",\"room\":\"b\"}",
            "{\"namespace\":\"/mcp\",\"event\":\"x\",\"data\":{\"a\":1,\"a\":2}}",
            "{\"rom\":1,\"rom\":2}",
            "{\"rom\":{\"a\":1,\"a\":2}}",
            "{\"namespace\":1,\"event\":\"x\",\"data\":{\"a\":}");

    @Test
    void answersEveryBodyLikeTheTreePath() {
        for (String body : BODIES) {
            Outcome streamed = outcome(() -> EmitRequestReader.read(body.getBytes(StandardCharsets.UTF_8)));
            Outcome tree = outcome(() -> EmitRequestParser.parse(readTree(body)));
            assertThat(streamed.code()).as("code for %s", body).isEqualTo(tree.code());
            assertThat(streamed.request()).as("request for %s", body).isEqualTo(tree.request());
            if (!"INVALID_JSON".equals(tree.code())) { // Jackson words its own syntax errors per entry point
                assertThat(streamed.message()).as("message for %s", body).isEqualTo(tree.message());
            } else {
                assertThat(streamed.message()).as("message for %s", body).isNotBlank();
            }
        }
    }

    @Test
    void keepsDataExactlyAsGivenIncludingAnExplicitNull() {
        EmitRequest request = EmitRequestReader.read(
                "{\"namespace\":\"/mcp\",\"event\":\"e\",\"data\":{\"n\":[1,{\"x\":\"y\"}],\"b\":false}}".getBytes());
        assertThat(request.data().toString()).isEqualTo("{\"n\":[1,{\"x\":\"y\"}],\"b\":false}");
        assertThat(EmitRequestReader.read("{\"namespace\":\"/mcp\",\"event\":\"e\",\"data\":null}".getBytes()).data())
                .isEqualTo(NullNode.instance);
        assertThat(EmitRequestReader.read("{\"namespace\":\"/mcp\",\"event\":\"e\"}".getBytes()).data()).isNull();
    }

    @Test
    void refusesAnEmptyBodyAsInvalidJson() {
        assertThatThrownBy(() -> EmitRequestReader.read(new byte[0]))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("INVALID_JSON"));
    }

    @Test
    void refusesMoreRoomsThanAllowedLikeTheTreePath() {
        StringBuilder rooms = new StringBuilder("[");
        for (int i = 0; i <= EmitRequestParser.MAX_ROOMS; i++) {
            rooms.append(i == 0 ? "" : ",").append("\"r").append(i).append('"');
        }
        String body = "{\"namespace\":\"/mcp\",\"event\":\"e\",\"rooms\":" + rooms + "]}";
        assertThat(outcome(() -> EmitRequestReader.read(body.getBytes())).code()).isEqualTo("TOO_MANY_ROOMS");
    }

    @Test
    void successAnswerIsTheSameJsonAnObjectMapperWouldWrite() throws Exception {
        for (int delivered : new int[] {0, 1, 255, 256, 1_000_000, Integer.MAX_VALUE}) {
            JsonNode answer = Json.MAPPER.readTree(EmitAnswer.bytes(delivered));
            assertThat(answer.toString()).isEqualTo("{\"success\":true,\"delivered\":" + delivered + "}");
        }
    }

    private static JsonNode readTree(String body) {
        return BoundedBody.parseJson(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Outcome outcome(java.util.function.Supplier<EmitRequest> parse) {
        try {
            return new Outcome(parse.get(), null, null);
        } catch (ApiException e) {
            return new Outcome(null, e.code(), e.getMessage());
        }
    }

    private record Outcome(EmitRequest request, String code, String message) {
    }

    @Test
    void everyNameSocketIoClientReservesIsRefusedByBothPaths() {
        for (String reserved : dev.switchboard.socketio.ReservedEvents.NAMES) {
            String body = "{\"namespace\":\"/mcp\",\"event\":\"" + reserved + "\"}";
            assertThatThrownBy(() -> EmitRequestReader.read(body.getBytes(StandardCharsets.UTF_8))).as(reserved)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("RESERVED_EVENT"));
            assertThatThrownBy(() -> EmitRequestParser.parse(Json.MAPPER.readTree(body))).as(reserved)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("RESERVED_EVENT"));
        }
    }

    @Test
    void anUnknownFieldIsAnsweredWithTheOneFieldList() {
        byte[] body = "{\"namespace\":\"/mcp\",\"event\":\"x\",\"rom\":\"a\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> EmitRequestReader.read(body)).hasMessage(
                "unknown field 'rom'; allowed: [namespace, room, rooms, except, event, data, volatile]");
    }
}
