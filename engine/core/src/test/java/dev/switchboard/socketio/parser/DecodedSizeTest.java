package dev.switchboard.socketio.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

import dev.switchboard.testkit.AllocatedBytes;

/**
 * The inbound bounds count a received packet as {@link DecodedSize} says its tree holds. Held against what decoding
 * really allocates (transient garbage included, so a little above what the tree keeps): at least three quarters of
 * it for every shape (measured: 0.80 to 1.22), and one maxPayload-sized message of any usual shape stays below the
 * default 32 MiB inbound bound on its own.
 */
class DecodedSizeTest {
    private static final int PAYLOAD = 100_000;
    private static final long ONE_EVENT_BOUND = 32L << 20;
    private final PacketDecoder json = new PacketDecoder(new ObjectMapper(), PacketDecoder.DEFAULT_MAX_ATTACHMENTS);
    private final MsgpackPacketDecoder msgpack = new MsgpackPacketDecoder(new ObjectMapper());

    @Test
    void jsonTreesAreEstimatedAtLeastAsLargeAsMostOfWhatTheyAllocate() throws Exception {
        assertCloseToAllocated("empty objects", n -> "{}", 0.75);
        assertCloseToAllocated("empty arrays", n -> "[]", 0.75);
        assertCloseToAllocated("objects with a field", n -> "{\"id\":" + n + "}", 0.75);
        assertCloseToAllocated("objects with fields", n -> "{\"id\":" + n + ",\"name\":\"n" + n + "\",\"ok\":true}", 0.75);
        assertCloseToAllocated("strings", n -> "\"s" + n + "\"", 0.75);
        assertCloseToAllocated("numbers", n -> Integer.toString(n), 0.75);
    }

    @Test
    void messagePackEmptyMapsAreEstimatedAtLeastAsLargeAsMostOfWhatTheyAllocate() throws Exception {
        byte[] message = msgpackEvent(PAYLOAD);
        Packet packet = msgpack.decodeBinary(message);
        long estimate = DecodedSize.of(packet.data());
        long allocated = allocated(() -> msgpack.decodeBinary(message));
        assertThat(estimate).as("%d B of MessagePack empty maps: estimate %d B, decoding allocated %d B",
                message.length, estimate, allocated).isGreaterThanOrEqualTo((long) (0.75 * allocated));
    }

    @Test
    void oneMaxPayloadMessageOfUsualJsonShapesFitsTheDefaultInboundBoundAlone() throws Exception {
        for (IntFunction<String> element : java.util.List.<IntFunction<String>>of(n -> "{}", n -> "[]", n -> "0",
                n -> "\"\"", n -> "{\"a\":0}", n -> "true")) {
            String text = event(element, 1_000_000);
            long estimate = DecodedSize.of(json.decodeText(text).data());
            assertThat(estimate).as("%s... (%d B)", text.substring(0, 20), text.length())
                    .isLessThan(ONE_EVENT_BOUND);
        }
    }

    private void assertCloseToAllocated(String shape, IntFunction<String> element, double least) throws Exception {
        String text = event(element, PAYLOAD);
        long estimate = DecodedSize.of(json.decodeText(text).data());
        long allocated = allocated(() -> json.decodeText(text));
        assertThat(estimate).as("%s, %d B of JSON: estimate %d B, decoding allocated %d B", shape, text.length(),
                estimate, allocated).isGreaterThanOrEqualTo((long) (least * allocated));
    }

    /** {@code 2["e",[element 0, element 1, ...]]} of about {@code bytes} characters. */
    private static String event(IntFunction<String> element, int bytes) {
        StringBuilder text = new StringBuilder(bytes + 64).append("2[\"e\",[");
        for (int n = 0; text.length() < bytes; n++) {
            text.append(n == 0 ? "" : ",").append(element.apply(n));
        }
        return text.append("]]").toString();
    }

    /** {type: 2, nsp: "/", data: ["e", [{}, {}, ...]]} with {@code count} empty maps. */
    private static byte[] msgpackEvent(int count) throws IOException {
        try (MessageBufferPacker out = MessagePack.newDefaultBufferPacker()) {
            out.packMapHeader(3);
            out.packString("type").packInt(2);
            out.packString("nsp").packString("/");
            out.packString("data").packArrayHeader(2).packString("e").packArrayHeader(count);
            for (int i = 0; i < count; i++) {
                out.packMapHeader(0);
            }
            return out.toByteArray();
        }
    }

    /** Bytes this thread allocates for one decode (the least of a few, after warming up). */
    private static long allocated(Callable<Packet> decode) throws Exception {
        return AllocatedBytes.leastOfHeavyCalls(3, 5, decode);
    }
}
