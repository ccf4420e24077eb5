package dev.switchboard.app.abuse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.switchboard.testkit.RawWebSocket;

/**
 * One hostile client loop over one transport: long-polling, Engine.IO WebSocket or the plain {@code /ws} channels.
 * It reconnects whenever the server closes on it, rotates its loopback source address, and stops at its packet
 * budget or its deadline, whichever comes first.
 */
final class HostileClient implements Runnable {
    enum Transport { POLLING, WEBSOCKET, PLAIN_WS }

    private static final String EIO_POLLING = "/socket.io/?EIO=4&transport=polling";
    private static final String EIO_WEBSOCKET = "/socket.io/?EIO=4&transport=websocket";

    private final Transport transport;
    private final int port;
    private final int subnet;
    private final PacketMutator mutator;
    private final long packetBudget;
    private final long deadlineNanos;
    private final AtomicLong packetsSent = new AtomicLong();
    private int source;

    HostileClient(Transport transport, int port, int subnet, long seed, long packetBudget, long deadlineNanos) {
        this.transport = transport;
        this.port = port;
        this.subnet = subnet;
        this.mutator = new PacketMutator(seed);
        this.packetBudget = packetBudget;
        this.deadlineNanos = deadlineNanos;
    }

    long packetsSent() {
        return packetsSent.get();
    }

    @Override
    public void run() {
        while (more()) {
            try {
                switch (transport) {
                    case POLLING -> pollingSession();
                    case WEBSOCKET -> webSocketSession(EIO_WEBSOCKET, false);
                    case PLAIN_WS -> webSocketSession("/ws", true);
                }
            } catch (IOException | RuntimeException e) {
                // the server closed on a bad packet, or refused us: that is its job; go again
            }
        }
    }

    private boolean more() {
        return packetsSent.get() < packetBudget && System.nanoTime() < deadlineNanos && !Thread.currentThread().isInterrupted();
    }

    /** 127.S.0.1 .. 127.S.0.200 in turn, so per-address limits meet many clients, as from a botnet. */
    private String nextSource() {
        source = source % 200 + 1;
        return "127." + subnet + ".0." + source;
    }

    private void pollingSession() throws IOException {
        String sid;
        try (RawConnection c = RawConnection.open(nextSource(), port, 3000)) {
            String query = mutator.chance(5) ? mangledQuery() : EIO_POLLING;
            String headers = mutator.chance(3) ? "X-Padding: " + "h".repeat(7000) + "\r\n" : "";
            if (c.request("GET", query, headers, null) != 200) {
                packetsSent.incrementAndGet();
                return;
            }
            String body = c.lastBody();
            int at = body.indexOf("\"sid\":\"");
            if (at < 0) {
                return;
            }
            sid = body.substring(at + 7, body.indexOf('"', at + 7));
        }
        String sessionQuery = EIO_POLLING + "&sid=" + sid;
        for (int i = 0; i < 20 && more(); i++) {
            try (RawConnection c = RawConnection.open(nextSource(), port, 1500)) {
                if (mutator.chance(4)) {
                    c.request("GET", sessionQuery, "", null);
                    continue;
                }
                int count = 1 + mutator.nextInt(4);
                java.io.ByteArrayOutputStream payload = new java.io.ByteArrayOutputStream();
                for (int p = 0; p < count; p++) {
                    if (p > 0) {
                        payload.write(0x1e);
                    }
                    payload.writeBytes(mutator.socketIoPacket());
                }
                packetsSent.addAndGet(count);
                if (c.request("POST", sessionQuery, "", payload.toByteArray()) != 200) {
                    return;
                }
            }
        }
    }

    private String mangledQuery() {
        return switch (mutator.nextInt(5)) {
            case 0 -> "/socket.io/?EIO=3&transport=polling&b64=1";
            case 1 -> "/socket.io/?EIO=4&transport=flash";
            case 2 -> "/socket.io/?EIO=4&transport=polling&sid=" + "A".repeat(mutator.nextInt(300));
            case 3 -> "/socket.io/?EIO=99&transport=polling&j=" + mutator.nextInt(10);
            default -> "/socket.io/?" + "a=%zz&".repeat(1 + mutator.nextInt(200));
        };
    }

    private void webSocketSession(String path, boolean plain) throws IOException {
        RawWebSocket opened;
        try {
            opened = RawWebSocket.to(port).from(nextSource()).path(path).timeout(Duration.ofSeconds(2)).open();
        } catch (IOException refused) {
            packetsSent.incrementAndGet();
            return;
        }
        try (RawWebSocket c = opened) {
            if (c.handshake.status() != 101) {
                packetsSent.incrementAndGet();
                return;
            }
            for (int i = 0; i < 400 && more(); i++) {
                byte[] packet = plain ? mutator.plainMessage() : mutator.socketIoPacket();
                int roll = mutator.nextInt(100);
                if (roll < 88) {
                    c.sendFrame(1, packet, true, false, true);
                } else if (roll < 93) {
                    c.sendFrame(2, plain ? packet : mutator.binary(), true, false, true);
                } else if (roll < 96) {
                    int cut = packet.length / 2;
                    c.sendFrame(1, java.util.Arrays.copyOfRange(packet, 0, cut), false, false, true);
                    c.sendFrame(0, java.util.Arrays.copyOfRange(packet, cut, packet.length), true, false, true);
                } else if (roll < 98) {
                    c.sendFrame(9, "ping".getBytes(StandardCharsets.US_ASCII), true, false, true);
                } else if (roll < 99) {
                    c.sendFrame(1, packet, true, false, false);
                } else {
                    c.sendFrame(3 + mutator.nextInt(5), packet, true, false, true);
                }
                packetsSent.incrementAndGet();
                if (!c.drain()) {
                    return;
                }
            }
        }
    }
}
