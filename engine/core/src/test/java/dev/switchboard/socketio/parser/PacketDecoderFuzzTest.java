package dev.switchboard.socketio.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever text and binary messages arrive, in any order, the decoder either returns a packet,
 * returns null (waiting for attachments), or throws PacketParseException; nothing else escapes, nothing hangs.
 */
class PacketDecoderFuzzTest {
    private static final String[] SEEDS = {
        "0", "0/admin,{\"token\":\"x\"}", "1/x,", "2[\"ev\",1,{\"a\":[true,null]}]", "2/chat,12[\"q\"]",
        "31[\"ok\"]", "4{\"message\":\"m\"}", "51-[\"b\",{\"_placeholder\":true,\"num\":0}]",
        "62-/n,5[{\"_placeholder\":true,\"num\":1},{\"_placeholder\":true,\"num\":0}]",
    };
    private static final String ALPHABET = "0123456789-/,[]{}\":_placeholdernumtrue \\é\u0000\uD800";

    @Test
    void randomMutationsOnlyEverFailWithParseErrors() {
        ObjectMapper mapper = new ObjectMapper();
        Random random = new Random(20261121L);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            int decoded = 0;
            int refused = 0;
            PacketDecoder decoder = new PacketDecoder(mapper, 10);
            for (int i = 0; i < 30_000; i++) {
                try {
                    Object result = random.nextInt(5) == 0
                            ? decoder.decodeBinary(new byte[random.nextInt(4)])
                            : decoder.decodeText(mutate(SEEDS[random.nextInt(SEEDS.length)], random));
                    if (result != null) {
                        decoded++;
                    }
                } catch (PacketParseException e) {
                    refused++;
                    decoder = new PacketDecoder(mapper, 10); // the connection would be closed
                }
            }
            assertThat(decoded).isPositive();
            assertThat(refused).isPositive();
        });
    }

    private static String mutate(String seed, Random random) {
        StringBuilder sb = new StringBuilder(seed);
        int edits = random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int op = random.nextInt(4);
            int pos = sb.length() == 0 ? 0 : random.nextInt(sb.length() + 1);
            char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            switch (op) {
                case 0 -> sb.insert(pos, c);
                case 1 -> { if (pos < sb.length()) sb.deleteCharAt(pos); }
                case 2 -> { if (pos < sb.length()) sb.setCharAt(pos, c); }
                default -> sb.setLength(Math.min(sb.length(), pos)); // truncate
            }
        }
        return sb.toString();
    }
}
