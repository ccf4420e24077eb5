package dev.switchboard.app.abuse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Seeded generator of hostile Engine.IO / Socket.IO / plain-channel packets: valid packets of every type, then
 * mutated (bytes flipped, cut, spliced, repeated, nested deep, numbers at the limits, invalid UTF-8).
 */
public final class PacketMutator {
    private static final List<String> SOCKET_IO = List.of(
            "2", "3", "4", "5", "6", "1", "2probe", "3probe",
            "40", "40/mcp,", "40/services,", "40/files,", "40/deployments,", "40/system,", "40/admin,",
            "40/nope,", "40/mcp,{\"token\":\"x\"}", "41/mcp,", "41",
            "42/mcp,[\"join\",{\"room\":\"r1\"}]", "42/mcp,1[\"join\",\"user:1\"]",
            "42/mcp,[\"join\",{\"room\":\"session:abc\",\"since\":\"0-0\"}]",
            "42/mcp,[\"leave\",{\"room\":\"r1\"}]", "42/mcp,[\"emit\",{\"room\":\"r1\",\"event\":\"x\",\"data\":1}]",
            "42/services,2[\"subscribe:logs\",{\"container\":\"nope\",\"tail\":99999}]",
            "42/services,[\"subscribe:stats\",{\"container\":\"../../etc\"}]", "42/services,3[\"list\"]",
            "42/deployments,[\"subscribe:logs\",{\"deployment\":\"x\",\"tail\":-1}]",
            "42/files,4[\"watch\",{\"path\":\"/etc\",\"glob\":\"**/*?*?*?*?*?*?*?*?*?*?\"}]",
            "42/system,[\"subscribe\",{\"interval\":1}]", "42/system,5[\"subscribe\",{\"metrics\":[\"cpu\",\"x\"]}]",
            "43/mcp,7[\"ok\"]", "43/mcp,999999999999999999999[]",
            "451-/mcp,[\"emit\",{\"_placeholder\":true,\"num\":0}]", "452-[\"x\",{\"_placeholder\":true,\"num\":5}]",
            "42[\"connect\"]", "42[\"disconnect\"]", "42[\"newListener\"]", "42[]", "42[1]", "42{}", "42\"x\"",
            "4" + "2".repeat(40), "42/mcp,-1[\"join\",\"r\"]", "49", "4/", "42/mcp", "42/mcp,[");
    private static final List<String> PLAIN = List.of(
            "{\"type\":\"subscribe\",\"channel\":\"global\",\"id\":1}",
            "{\"type\":\"subscribe\",\"channel\":\"topics/x\",\"id\":\"a\"}",
            "{\"type\":\"subscribe\",\"channel\":\"agents/42\"}", "{\"type\":\"subscribe\",\"channel\":\"metrics\"}",
            "{\"type\":\"unsubscribe\",\"channel\":\"global\",\"id\":2}",
            "{\"type\":\"publish\",\"channel\":\"topics/x\",\"event\":\"e\",\"data\":{\"a\":[1,2]},\"id\":3}",
            "{\"type\":\"auth\",\"token\":\"nope-nope-nope-nope\"}", "{\"type\":\"auth\",\"agent_id\":\"1\",\"session_id\":\"2\"}",
            "{\"type\":\"ping\",\"id\":4}", "{\"type\":null}", "[]", "null", "\"x\"", "{\"type\":\"subscribe\",\"channel\":{}}");

    private final Random random;

    public PacketMutator(long seed) {
        this.random = new Random(seed);
    }

    /** One Engine.IO packet (Socket.IO inside), as the bytes to send; one in ten is not valid UTF-8. */
    public byte[] socketIoPacket() {
        return bytes(mutateText(pick(SOCKET_IO)));
    }

    /** One plain-channel (`/ws`) message. */
    public byte[] plainMessage() {
        return bytes(mutateText(pick(PLAIN)));
    }

    public byte[] binary() {
        byte[] b = new byte[random.nextInt(64)];
        random.nextBytes(b);
        return b;
    }

    public boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** A quarter stay valid; the rest get one to three mutations. */
    private String mutateText(String seed) {
        if (random.nextInt(4) == 0) {
            return seed;
        }
        String s = seed;
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            s = mutateOnce(s);
        }
        return s;
    }

    private String mutateOnce(String s) {
        int at = s.isEmpty() ? 0 : random.nextInt(s.length());
        return switch (random.nextInt(10)) {
            case 0 -> s.substring(0, at);
            case 1 -> s.substring(0, at) + (char) random.nextInt(0x80) + s.substring(at);
            case 2 -> s.isEmpty() ? s : s.substring(0, at) + s.substring(at + 1);
            case 3 -> s.substring(0, at) + s.substring(at) + s.substring(at);
            case 4 -> s.substring(0, at) + "[".repeat(1 + random.nextInt(600)) + s.substring(at);
            case 5 -> s.substring(0, at) + "{\"a\":".repeat(1 + random.nextInt(300)) + s.substring(at);
            case 6 -> s.substring(0, at) + pick(List.of("-1", "1e999", "99999999999999999999", "NaN", "\u0000",
                    "\\u0000", "\\ud800", "\uffff", "\u001e", "%00", "../", "__proto__")) + s.substring(at);
            case 7 -> s + pick(SOCKET_IO);
            case 8 -> s.substring(0, at) + "x".repeat(random.nextInt(4096)) + s.substring(at);
            default -> pick(SOCKET_IO).substring(0, 2) + s;
        };
    }

    private byte[] bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0 && random.nextInt(10) == 0) {
            b[random.nextInt(b.length)] = (byte) (0x80 | random.nextInt(0x80));
        }
        return b;
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
