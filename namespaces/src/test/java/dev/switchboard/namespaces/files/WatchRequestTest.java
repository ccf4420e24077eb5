package dev.switchboard.namespaces.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import dev.switchboard.namespaces.core.ProducerException;

class WatchRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void acceptsObjectAndPlainString() throws Exception {
        assertThat(WatchRequest.parse(json("{\"path\":\"/a\",\"recursive\":true,\"glob\":\"*.log\"}")))
                .isEqualTo(new WatchRequest("/a", true, "*.log"));
        assertThat(WatchRequest.parse(json("\"/a\""))).isEqualTo(new WatchRequest("/a", false, null));
        assertThat(WatchRequest.parseUnwatch(json("{\"path\":\"/a\"}"))).isEqualTo("/a");
        assertThat(WatchRequest.parseUnwatch(json("\"/a\""))).isEqualTo("/a");
    }

    @Test
    void refusesEachKindOfBadArgument() {
        for (String bad : new String[] {"{}", "{\"path\":\"\"}", "{\"path\":5}", "42", "[\"/a\"]", "null",
                "{\"path\":\"/a\",\"recursive\":\"yes\"}", "{\"path\":\"/a\",\"glob\":7}", "{\"path\":\"/a\",\"glob\":\"\"}",
                "{\"path\":\"/a\",\"glob\":\"[a-\"}", "{\"path\":\"/a\",\"glob\":\"" + "*?".repeat(17) + "\"}",
                "{\"path\":\"/a\",\"glob\":\"" + "x".repeat(257) + "\"}"}) {
            assertThatThrownBy(() -> WatchRequest.parse(json(bad)), bad)
                    .isInstanceOf(ProducerException.class)
                    .extracting(e -> ((ProducerException) e).code()).isEqualTo("BAD_REQUEST");
        }
        assertThatThrownBy(() -> WatchRequest.parse(MissingNode.getInstance())).isInstanceOf(ProducerException.class);
        assertThatThrownBy(() -> WatchRequest.parseUnwatch(MissingNode.getInstance())).isInstanceOf(ProducerException.class);
        assertThatThrownBy(() -> WatchRequest.parseUnwatch(json("{\"path\":1}"))).isInstanceOf(ProducerException.class);
    }
}
