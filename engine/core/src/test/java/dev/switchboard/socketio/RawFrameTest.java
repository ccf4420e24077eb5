package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.switchboard.testkit.RawWebSocket;

/** Every Socket.IO packet type and every error answer, as raw Engine.IO v4 WebSocket frames. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RawFrameTest {
    private static final Duration WAIT = Duration.ofSeconds(15); // a deadline, not a pause: generous for a loaded machine
    private static final ObjectMapper JSON = new ObjectMapper();
    private static DemoServer server;

    @BeforeAll
    static void start() {
        server = new DemoServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private RawWebSocket openAndConnect() throws Exception {
        RawWebSocket ws = RawWebSocket.engineIo(server.io.port());
        ws.awaitOpen();
        ws.sendText("40");
        String reply = ws.nextText();
        assertThat(reply).startsWith("40{\"sid\":\"");
        String sid = JSON.readTree(reply.substring(2)).get("sid").asText();
        assertThat(ws.nextText()).isEqualTo("42[\"welcome\",\"" + sid + "\"]");
        return ws;
    }

    @Test
    void connectAndConnectWithAuth() throws Exception {
        try (RawWebSocket ws = RawWebSocket.engineIo(server.io.port())) {
            String engineSid = JSON.readTree(ws.awaitOpen()).get("sid").asText();
            ws.sendText("40");
            String reply = ws.nextText();
            String sid = JSON.readTree(reply.substring(2)).get("sid").asText();
            assertThat(sid).isNotEqualTo(engineSid);
            ws.nextText(); // welcome
            ws.sendText("40/secure,{\"token\":\"letmein\"}");
            assertThat(ws.nextText()).startsWith("40/secure,{\"sid\":\"");
            ws.sendText("42/secure,5[\"echo\",\"in secure\"]");
            assertThat(ws.nextText()).isEqualTo("43/secure,5[\"in secure\"]");
        }
    }

    @Test
    void eventWithAckAndWithout() throws Exception {
        try (RawWebSocket ws = openAndConnect()) {
            ws.sendText("421[\"echo\",\"a\",{\"b\":[1,2]}]");
            assertThat(ws.nextText()).isEqualTo("431[\"a\",{\"b\":[1,2]}]");
            ws.sendText("42[\"echo\",\"no ack wanted\"]");
            ws.sendText("4299[\"echo\",\"second\"]");
            assertThat(ws.nextText()).isEqualTo("4399[\"second\"]"); // nothing for the event without ack id
        }
    }

    @Test
    void binaryEventAndBinaryAck() throws Exception {
        try (RawWebSocket ws = openAndConnect()) {
            ws.sendText("451-7[\"binary\",{\"_placeholder\":true,\"num\":0}]");
            ws.sendBinary(new byte[] {1, 2, 3});
            String event = ws.nextText();
            assertThat(event).startsWith("451-[\"binary-back\",{").contains("{\"_placeholder\":true,\"num\":0}");
            assertThat(ws.nextBinary()).containsExactly(3, 2, 1);
            assertThat(ws.nextText()).isEqualTo("461-7[{\"_placeholder\":true,\"num\":0}]");
            assertThat(ws.nextBinary()).containsExactly(3, 2, 1);
        }
    }

    @Test
    void ackFromClient() throws Exception {
        try (RawWebSocket ws = openAndConnect()) {
            ws.sendText("42[\"ask\",\"well?\"]");
            assertThat(ws.nextText()).isEqualTo("420[\"question\",\"well?\"]");
            ws.sendText("430[\"fine\"]");
            assertThat(ws.nextText()).isEqualTo("42[\"asked\",\"[\\\"fine\\\"]\"]");
            ws.sendText("42[\"ask\",\"binary?\"]");
            assertThat(ws.nextText()).isEqualTo("421[\"question\",\"binary?\"]");
            ws.sendText("461-1[{\"_placeholder\":true,\"num\":0}]");
            ws.sendBinary(new byte[] {9});
            assertThat(ws.nextText()).startsWith("42[\"asked\",");
        }
    }

    @Test
    void disconnectFromClientAndFromServer() throws Exception {
        try (RawWebSocket ws = openAndConnect()) {
            server.disconnects.clear();
            ws.sendText("41");
            assertThat(server.disconnects.poll(5, TimeUnit.SECONDS)).isEqualTo("/:client namespace disconnect");
            ws.sendText("40"); // the connection is still usable
            assertThat(ws.nextText()).startsWith("40{\"sid\":");
            ws.nextText(); // welcome
            ws.sendText("42[\"kick\"]");
            assertThat(ws.nextText()).isEqualTo("41");
            assertThat(server.disconnects.poll(5, TimeUnit.SECONDS)).isEqualTo("/:server namespace disconnect");
        }
    }

    @Test
    void connectErrorAnswers() throws Exception {
        try (RawWebSocket ws = RawWebSocket.engineIo(server.io.port())) {
            ws.awaitOpen();
            ws.sendText("40/nope,");
            assertThat(ws.nextText()).isEqualTo("44/nope,{\"message\":\"Invalid namespace\"}");
            ws.sendText("40/secure,{\"token\":\"guess\"}");
            assertThat(ws.nextText()).isEqualTo("44/secure,{\"message\":\"unauthorized\",\"data\":{\"reason\":\"bad token\"}}");
            ws.sendText("40/secure,");
            assertThat(ws.nextText()).startsWith("44/secure,{\"message\":\"unauthorized\"");
            // the refused namespace holds nothing; an EVENT there closes the connection
            ws.sendText("42/secure,[\"echo\"]");
            assertThat(ws.awaitClosed(WAIT)).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "4x",                                   // unknown packet type
        "42[\"echo\"",                          // truncated JSON
        "42[\"echo\"]]",                        // trailing garbage
        "42{\"echo\":1}",                       // payload not an array
        "42[\"disconnect\"]",                   // reserved event name
        "4511-[\"echo\"]",                      // too many attachments
        "45-[\"echo\"]",                        // missing attachment count
        "43",                                   // ack without payload
        "41{}",                                 // disconnect with payload
        "42/other,[\"echo\"]",                  // namespace not joined
        "40",                                   // second CONNECT to a joined namespace
        "44{\"message\":\"from client\"}",      // CONNECT_ERROR from a client
    })
    void badPacketsCloseTheConnection(String frame) throws Exception {
        try (RawWebSocket ws = openAndConnect()) {
            ws.sendText(frame);
            assertThat(ws.awaitClosed(WAIT)).as("closed after %s", frame).isTrue();
        }
    }

    @Test
    void binaryFrameWithoutABinaryPacketClosesTheConnection() throws Exception {
        try (RawWebSocket ws = openAndConnect()) {
            ws.sendBinary(new byte[] {1, 2});
            assertThat(ws.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void textWhileAttachmentsArePendingClosesTheConnection() throws Exception {
        try (RawWebSocket ws = openAndConnect()) {
            ws.sendText("452-[\"binary\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
            ws.sendBinary(new byte[] {1});
            ws.sendText("42[\"echo\"]");
            assertThat(ws.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void placeholderBeyondTheAttachmentsClosesTheConnection() throws Exception {
        try (RawWebSocket ws = openAndConnect()) {
            ws.sendText("451-[\"binary\",{\"_placeholder\":true,\"num\":3}]");
            ws.sendBinary(new byte[] {1});
            assertThat(ws.awaitClosed(WAIT)).isTrue();
        }
    }
}
