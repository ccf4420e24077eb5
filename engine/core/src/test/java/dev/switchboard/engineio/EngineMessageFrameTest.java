package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.switchboard.testkit.AllocatedBytes;

/** The text frame bytes of a message: the same bytes as before, made without an intermediate String. */
class EngineMessageFrameTest {

    @Test
    void textFramesAreTypeDigitThenUtf8() {
        for (String text : new String[] {"", "2[\"e\"]", "2/mcp,[\"caf\u00e9\",\"\u20ac\",\"\uD83D\uDE00\"]", "\u007f\u0080"}) {
            EngineMessage message = EngineMessage.text(text);

            assertThat(message.textFrameBytes()).as(text).isEqualTo(("4" + text).getBytes(StandardCharsets.UTF_8));
            assertThat(message.wireSize()).isEqualTo(message.textFrameBytes().length);
        }
    }

    /**
     * An ASCII text's frame is one array (~104 bytes here, plus the message's own ~40); through {@code "4" + text}
     * it was that array, a String and a second array: 296 bytes per message.
     */
    @Test
    void anAsciiFrameIsOneArray() {
        String text = "2/mcp,[\"bench\",{\"t\":0,\"p\":\"" + "x".repeat(64) + "\"}]";

        long bytes = AllocatedBytes.perCall(() -> EngineMessage.text(text).textFrameBytes());

        assertThat(bytes).as("bytes per message and frame").isLessThan(text.length() + 1 + 100);
    }
}
