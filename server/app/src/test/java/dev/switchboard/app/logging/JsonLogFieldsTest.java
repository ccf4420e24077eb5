package dev.switchboard.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.Encoder;

/** LOG_FORMAT=json through the shipped logback.xml: the message's key=value pairs are real JSON fields. */
class JsonLogFieldsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoggerContext context = new LoggerContext();
    private Encoder<ILoggingEvent> encoder;

    @BeforeEach
    void configureAsShipped() throws Exception {
        encoder = ShippedLogback.encoder(context, "json");
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void pairsOfARealLogLineBecomeFieldsAndMessageKeepsTheText() throws Exception {
        JsonNode line = encode("dev.switchboard.socketio.ClientConnection", Level.INFO,
                "event=socket_refused namespace={} socketId={} session={} reason=\"{}\"",
                "/mcp", "aB3x", "e17", "Invalid namespace");
        assertThat(line.get("event").asText()).isEqualTo("socket_refused");
        assertThat(line.get("namespace").asText()).isEqualTo("/mcp");
        assertThat(line.get("socketId").asText()).isEqualTo("aB3x");
        assertThat(line.get("session").asText()).isEqualTo("e17");
        assertThat(line.get("reason").asText()).as("a quoted value with a space").isEqualTo("Invalid namespace");
        assertThat(line.get("message").asText()).isEqualTo(
                "event=socket_refused namespace=/mcp socketId=aB3x session=e17 reason=\"Invalid namespace\"");
        assertThat(line.get("level").asText()).isEqualTo("INFO");
    }

    @Test
    void valuesStayStringsAndWordsWithoutAnEqualsSignAreSkipped() throws Exception {
        JsonNode line = encode("dev.switchboard.app.SwitchboardServer", Level.INFO,
                "switchboard started host={} wsPort={} namespaces={}", "127.0.0.1", 3007, "[/system, /mcp]");
        assertThat(line.get("wsPort").isTextual()).isTrue();
        assertThat(line.get("wsPort").asText()).isEqualTo("3007");
        assertThat(line.get("host").asText()).isEqualTo("127.0.0.1");
        assertThat(line.get("namespaces").asText()).isEqualTo("[/system,");
        assertThat(line.has("switchboard")).isFalse();
        assertThat(line.has("started")).isFalse();
    }

    @Test
    void aKeyNamingAStandardFieldIsPrefixedAndNeverReplacesIt() throws Exception {
        JsonNode line = encode("x", Level.WARN,
                "message=spoofed level=DEBUG @timestamp=0 logger_name=evil kv_level=a ok=1");
        assertThat(line.get("level").asText()).isEqualTo("WARN");
        assertThat(line.get("logger_name").asText()).isEqualTo("x");
        assertThat(line.get("message").asText()).startsWith("message=spoofed");
        assertThat(line.get("kv_message").asText()).isEqualTo("spoofed");
        assertThat(line.get("kv_level").asText()).isEqualTo("DEBUG");
        assertThat(line.get("kv_logger_name").asText()).isEqualTo("evil");
        assertThat(line.get("kv_kv_level").asText()).isEqualTo("a");
        assertThat(line.get("ok").asText()).isEqualTo("1");
        assertThat(line.has("@timestamp") && !line.get("@timestamp").asText().equals("0")).isTrue();
    }

    @Test
    void aValueWithEscapedQuotesAndARepeatedKeyKeepTheFirstValue() throws Exception {
        JsonNode line = encode("x", Level.INFO, "event=a detail=\"said \\\"hi\\\" twice\" event=b");
        assertThat(line.get("detail").asText()).isEqualTo("said \"hi\" twice");
        assertThat(line.get("event").asText()).isEqualTo("a");
    }

    @Test
    void aHugeLoggedValueIsCutAtTheMessageBoundInTheMessageAndItsFields() throws Exception {
        JsonNode line = encode("x", Level.INFO, "event=x value={}", "v".repeat(100_000));
        assertThat(line.get("message").asText()).hasSize(BoundedMessageProvider.MAX_MESSAGE_CHARS).startsWith("event=x value=vvv");
        assertThat(line.get("value").asText().length()).isLessThan(BoundedMessageProvider.MAX_MESSAGE_CHARS);
        assertThat(line.findValues("message")).as("one message field").hasSize(1);
    }

    private JsonNode encode(String logger, Level level, String format, Object... args) throws Exception {
        Logger log = context.getLogger(logger);
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), log, level, format, null, args);
        List<String> lines = new ArrayList<>();
        for (String line : new String(encoder.encode(event), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(line);
            }
        }
        assertThat(lines).as("one line per event").hasSize(1);
        return JSON.readTree(lines.get(0));
    }
}
