package dev.switchboard.emitapi;

import java.nio.charset.StandardCharsets;

/**
 * The bytes of a successful {@code POST /emit} answer, {@code {"success":true,"delivered":N}}, written without a
 * map or ObjectMapper. Answers for small counts are built once and shared (they are never modified).
 */
final class EmitAnswer {
    private static final int CACHED = 256;
    private static final byte[][] SMALL = new byte[CACHED][];

    static {
        for (int delivered = 0; delivered < CACHED; delivered++) {
            SMALL[delivered] = build(delivered);
        }
    }

    private EmitAnswer() {
    }

    static byte[] bytes(int delivered) {
        return delivered >= 0 && delivered < CACHED ? SMALL[delivered] : build(delivered);
    }

    private static byte[] build(int delivered) {
        return ("{\"success\":true,\"delivered\":" + delivered + "}").getBytes(StandardCharsets.US_ASCII);
    }
}
