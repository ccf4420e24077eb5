package dev.switchboard.socketio;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A raw TCP WebSocket client (loopback only) that joins a Socket.IO namespace and then never reads again:
 * the slow consumer of the backpressure tests. Its receive buffer is tiny so the server's queue fills fast.
 */
final class StuckWebSocketClient implements AutoCloseable {
    private final java.net.Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    StuckWebSocketClient(int port, String namespace) throws IOException {
        socket = new java.net.Socket();
        socket.setReceiveBufferSize(4096);
        socket.setSoTimeout(10_000);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        out.write(("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = readLine(in);
        if (!status.contains(" 101 ")) {
            throw new IOException("upgrade refused: " + status);
        }
        while (!readLine(in).isEmpty()) {
            // headers
        }
        expectPrefix(readTextFrame(), "0{");        // Engine.IO open
        sendText("/".equals(namespace) ? "40" : "40" + namespace + ",");
        expectPrefix(readTextFrame(), "/".equals(namespace) ? "40{" : "40" + namespace + ",{"); // admitted
    }

    private static void expectPrefix(String frame, String prefix) throws IOException {
        if (!frame.startsWith(prefix)) {
            throw new IOException("expected " + prefix + "..., got " + frame);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    private String readTextFrame() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] data = new byte[(int) len];
        in.readFully(data);
        if ((b0 & 0x0f) != 1) {
            throw new IOException("expected a text frame, got opcode " + (b0 & 0x0f));
        }
        return new String(data, StandardCharsets.UTF_8);
    }

    private void sendText(String text) throws IOException {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        out.write(0x81);
        out.write(0x80 | data.length); // short frames only
        out.write(mask);
        for (int i = 0; i < data.length; i++) {
            out.write(data[i] ^ mask[i % 4]);
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
