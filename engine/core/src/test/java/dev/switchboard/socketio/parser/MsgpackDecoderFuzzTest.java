package dev.switchboard.socketio.parser;

import java.util.HexFormat;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Mutated real packets and random bytes: the msgpack decoder only ever throws PacketParseException. */
class MsgpackDecoderFuzzTest {
    private static final ObjectMapper mapper = new ObjectMapper();

    @Test
    void mutatedAndRandomInputsNeverThrowAnythingButParseErrors() throws Exception {
        JsonNode client = mapper.readTree(getClass().getResourceAsStream("msgpack-fixtures.json")).path("client");
        byte[][] seeds = new byte[client.size()][];
        int s = 0;
        for (JsonNode fixture : client) {
            seeds[s++] = HexFormat.of().parseHex(fixture.path("hex").asText());
        }
        SocketIoParser.Decoder decoder = SocketIoParser.MSGPACK.decoders(mapper, 10).get();
        Random random = new Random(16_08);
        long deadline = System.nanoTime() + 20_000_000_000L;
        for (int i = 0; i < 50_000 && System.nanoTime() < deadline; i++) {
            byte[] input;
            if (i % 5 == 0) {
                input = new byte[random.nextInt(64)];
                random.nextBytes(input);
            } else {
                byte[] seed = seeds[random.nextInt(seeds.length)];
                input = seed.clone();
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                }
                if (random.nextInt(8) == 0) {
                    input = java.util.Arrays.copyOf(input, random.nextInt(input.length + 1));
                }
            }
            try {
                decoder.decodeBinary(input);
            } catch (PacketParseException expected) {
                // the connection would be closed
            }
        }
    }
}
