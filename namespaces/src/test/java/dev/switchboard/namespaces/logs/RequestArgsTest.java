package dev.switchboard.namespaces.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.namespaces.core.ProducerException;

class RequestArgsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode obj(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void acceptsValidArguments() throws Exception {
        JsonNode args = obj("{\"container\":\"web-1\",\"tail\":5,\"since\":\"2026-11-21T23:00:00+01:00\",\"stdout\":false}");
        assertThat(RequestArgs.reference(args, "container")).isEqualTo("web-1");
        assertThat(RequestArgs.tail(args, 100, 1000)).isEqualTo(5);
        assertThat(RequestArgs.since(args)).isEqualTo("2026-11-21T22:00:00.000000000Z");
        assertThat(RequestArgs.flag(args, "stdout", true)).isFalse();
        assertThat(RequestArgs.flag(args, "stderr", true)).isTrue();
        assertThat(RequestArgs.since(obj("{\"since\":1700000000.5}"))).isEqualTo("2023-11-14T22:13:20.500000000Z");
    }

    @Test
    void rejectsEachKindOfBadInputWithBadRequest() {
        assertBad(() -> RequestArgs.object(JSON.getNodeFactory().textNode("x"), "subscribe:logs"), "expects an object");
        assertBad(() -> RequestArgs.reference(obj("{}"), "container"), "'container' is required");
        assertBad(() -> RequestArgs.reference(obj("{\"container\":\"a b;rm\"}"), "container"), "not allowed");
        assertBad(() -> RequestArgs.tail(obj("{\"tail\":-1}"), 100, 1000), "'tail'");
        assertBad(() -> RequestArgs.tail(obj("{\"tail\":1001}"), 100, 1000), "0 to 1000");
        assertBad(() -> RequestArgs.tail(obj("{\"tail\":\"5\"}"), 100, 1000), "'tail'");
        assertBad(() -> RequestArgs.flag(obj("{\"stdout\":\"yes\"}"), "stdout", true), "'stdout'");
        assertBad(() -> RequestArgs.since(obj("{\"since\":\"yesterday\"}")), "'since'");
        assertBad(() -> RequestArgs.optionalText(obj("{\"serviceId\":\"\"}"), "serviceId", 200), "'serviceId'");
    }

    @Test
    void logStreamsDefaultToBothAndRefuseNeither() throws Exception {
        assertThat(RequestArgs.logStreams(obj("{}"))).isEqualTo(new RequestArgs.LogStreams(true, true));
        assertThat(RequestArgs.logStreams(obj("{\"stderr\":false}"))).isEqualTo(new RequestArgs.LogStreams(true, false));
        assertBad(() -> RequestArgs.logStreams(obj("{\"stdout\":false,\"stderr\":false}")), "at least one of 'stdout' and 'stderr'");
    }

    interface Call {
        Object run() throws Exception;
    }

    private static void assertBad(Call call, String messagePart) {
        assertThatThrownBy(call::run).isInstanceOf(ProducerException.class)
                .hasMessageContaining(messagePart)
                .satisfies(e -> assertThat(((ProducerException) e).code()).isEqualTo("BAD_REQUEST"));
    }
}
