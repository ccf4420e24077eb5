package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded random inputs for the packet and payload decoders: nothing but EngineParseException may escape, every
 * call returns quickly; and every payload the encoder builds decodes back to the same packets (v4 and v3).
 */
class EnginePacketDecoderFuzzTest {
    private static final long SEED = Long.getLong("fuzz.seed", 0x5eed_e10L);
    private static final int RUNS = 20_000;
    private static final String ALPHABET = "0123456789b:\u001e4\u00e9\u20ac\ud83d\ude00=+/AQIDxyz\u0000\u00ff";

    private static String randomText(Random r, int maxLen, boolean allowSeparator) {
        int len = r.nextInt(maxLen + 1);
        StringBuilder sb = new StringBuilder(len);
        while (sb.length() < len) {
            char c = ALPHABET.charAt(r.nextInt(ALPHABET.length()));
            if (c == '\u001e' && !allowSeparator) continue;
            if (Character.isHighSurrogate(c)) {
                sb.append("\ud83d\ude00");
            } else if (!Character.isLowSurrogate(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @Test
    @Timeout(60)
    void arbitraryInputOnlyEverRaisesTheDeclaredParseError() {
        Random r = new Random(SEED);
        int parsed = 0;
        int rejected = 0;
        for (int i = 0; i < RUNS; i++) {
            int protocol = r.nextBoolean() ? 4 : 3;
            byte[] bytes;
            boolean octet = r.nextInt(4) == 0;
            if (octet || r.nextInt(5) == 0) {
                bytes = new byte[r.nextInt(64)];
                r.nextBytes(bytes);
                if (bytes.length > 0 && r.nextBoolean()) bytes[0] = (byte) r.nextInt(2);
            } else {
                bytes = randomText(r, 64, true).getBytes(StandardCharsets.UTF_8);
            }
            try {
                List<InboundPacket> packets = EnginePacketDecoder.decodePayload(bytes, octet, protocol);
                assertThat(packets).isNotEmpty();
                parsed++;
            } catch (EngineParseException e) {
                rejected++;
            }
            try {
                EnginePacketDecoder.decodeText(new String(bytes, StandardCharsets.UTF_8), protocol);
            } catch (EngineParseException e) {
                rejected++;
            }
            try {
                EnginePacketDecoder.decodeBinaryFrame(bytes, protocol);
            } catch (EngineParseException e) {
                rejected++;
            }
        }
        assertThat(parsed).as("some random inputs are valid").isPositive();
        assertThat(rejected).as("some random inputs are invalid").isPositive();
    }

    @Test
    @Timeout(60)
    void encodedPayloadsDecodeToTheSamePackets() throws Exception {
        Random r = new Random(SEED + 1);
        for (int i = 0; i < RUNS / 4; i++) {
            int protocol = r.nextBoolean() ? 4 : 3;
            List<Object> items = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            int count = 1 + r.nextInt(5);
            for (int k = 0; k < count; k++) {
                if (r.nextInt(3) == 0) {
                    byte[] data = new byte[r.nextInt(40)];
                    r.nextBytes(data);
                    items.add(EngineMessage.binary(data));
                    expected.add("bin:" + ByteBufUtil.hexDump(data));
                } else {
                    String text = randomText(r, 40, protocol == 3);
                    items.add(EngineMessage.text(text));
                    expected.add("text:" + text);
                }
            }
            ByteBuf out = Unpooled.buffer();
            PayloadEncoder.encode(items, protocol, out);
            byte[] wire = ByteBufUtil.getBytes(out);
            out.release();
            List<String> decoded = new ArrayList<>();
            for (InboundPacket p : EnginePacketDecoder.decodePayload(wire, false, protocol)) {
                assertThat(p.type()).isEqualTo(PacketType.MESSAGE);
                decoded.add(p.isBinary() ? "bin:" + ByteBufUtil.hexDump(p.binary()) : "text:" + p.text());
            }
            assertThat(decoded).as("protocol %d payload %s", protocol, new String(wire, StandardCharsets.UTF_8))
                    .isEqualTo(expected);
        }
    }

    @Test
    void hugeV3LengthPrefixIsRejectedNotAllocated() {
        Duration limit = Duration.ofSeconds(1);
        long start = System.nanoTime();
        byte[] body = "99999999999999999999:4x".getBytes(StandardCharsets.UTF_8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EnginePacketDecoder.decodePayload(body, false, 3))
                .isInstanceOf(EngineParseException.class);
        byte[] binary = {1, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, (byte) 0xFF, 4};
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EnginePacketDecoder.decodePayload(binary, true, 3))
                .isInstanceOf(EngineParseException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(limit);
    }
}
