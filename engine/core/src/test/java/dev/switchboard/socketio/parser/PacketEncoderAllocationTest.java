package dev.switchboard.socketio.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.engineio.EngineMessage;
import dev.switchboard.testkit.AllocatedBytes;

/** What one broadcast encoding allocates: every emit to a recorded room (history, recovery) pays it. */
class PacketEncoderAllocationTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final PacketEncoder encoder = new PacketEncoder(mapper);

    /**
     * The {@code POST /emit} benchmark's event: 960 bytes per encoding while the text went through a StringBuilder
     * that grew and was copied, 712 since it is made from the generator's buffer in one go.
     */
    @Test
    void theBenchEventIsEncodedWithoutIntermediateCopies() throws Exception {
        List<Object> args = List.of(mapper.readTree("{\"t\":0,\"p\":\"" + "x".repeat(64) + "\"}"));

        long bytes = AllocatedBytes.perCall(() -> encoder.encodeEvent("/mcp", "bench", args, Packet.NO_ACK));

        assertThat(bytes).as("bytes allocated per encoding").isLessThan(850);
    }

    /** Longer than the generator's buffer: the text arrives in several writes and is joined, not cut. */
    @Test
    void aTextLongerThanTheGeneratorBufferIsWhole() {
        String big = "y".repeat(100_000);

        EngineMessage[] messages = encoder.encodeEvent("/mcp", "bench", List.of(big, 7), 12);

        assertThat(messages).hasSize(1);
        assertThat(messages[0].text()).isEqualTo("2/mcp,12[\"bench\",\"" + big + "\",7]");
    }

    @Test
    void aLongBinaryEventKeepsItsHeaderAndText() {
        String big = "z".repeat(50_000);

        EngineMessage[] messages = encoder.encodeEvent("/files", "chunk", List.of(big, new byte[] {1, 2}), 3);

        assertThat(messages).hasSize(2);
        assertThat(messages[0].text()).isEqualTo("51-/files,3[\"chunk\",\"" + big + "\",{\"_placeholder\":true,\"num\":0}]");
        assertThat(messages[1].binary()).containsExactly(1, 2);
    }
}
