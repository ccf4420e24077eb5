package dev.switchboard.testkit;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** A minimal blocking WebSocket client over a plain socket, for exact control of frames in tests (loopback only). */
public final class RawWebSocket implements AutoCloseable {
    public static final int TEXT = 1;
    public static final int BINARY = 2;
    public static final int CLOSE = 8;
    public static final int PING = 9;
    public static final int PONG = 10;

    public record Frame(int opcode, byte[] data, boolean rsv1) {
        public Frame(int opcode, byte[] data) {
            this(opcode, data, false);
        }

        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** The HTTP answer to the upgrade request. */
    public record Handshake(int status, Map<String, String> headers, String body) {
    }

    public final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    public final Handshake handshake;

    private RawWebSocket(Socket socket, Handshake handshake, DataInputStream in) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.handshake = handshake;
    }

    public static RawWebSocket connect(int port, String pathAndQuery, Map<String, String> extraHeaders) throws IOException {
        return connect(port, pathAndQuery, extraHeaders, 0);
    }

    /** receiveBuffer > 0 shrinks the socket receive buffer (for clients that stop reading). */
    public static RawWebSocket connect(int port, String pathAndQuery, Map<String, String> extraHeaders, int receiveBuffer)
            throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) s.setReceiveBufferSize(receiveBuffer);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(5000);
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        StringBuilder req = new StringBuilder()
                .append("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(key)).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        extraHeaders.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
        req.append("\r\n");
        s.getOutputStream().write(req.toString().getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        DataInputStream in = new DataInputStream(s.getInputStream());
        String status = readLine(in);
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while (!(line = readLine(in)).isEmpty()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
        }
        int code = Integer.parseInt(status.split(" ")[1]);
        String body = "";
        if (code != 101 && headers.containsKey("content-length")) {
            byte[] b = new byte[Integer.parseInt(headers.get("content-length"))];
            in.readFully(b);
            body = new String(b, StandardCharsets.UTF_8);
        }
        return new RawWebSocket(s, new Handshake(code, headers, body), in);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) throw new EOFException("connection closed during handshake");
            if (c != '\r') line.write(c);
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    public void sendText(String text) throws IOException {
        sendFrame(TEXT, text.getBytes(StandardCharsets.UTF_8), true);
    }

    public void sendBinary(byte[] data) throws IOException {
        sendFrame(BINARY, data, true);
    }

    public synchronized void sendFrame(int opcode, byte[] data, boolean fin) throws IOException {
        sendFrame(opcode, data, fin, false);
    }

    /** rsv1 marks a permessage-deflate compressed message. */
    public synchronized void sendFrame(int opcode, byte[] data, boolean fin, boolean rsv1) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream(data.length + 14);
        f.write((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode);
        if (data.length < 126) {
            f.write(0x80 | data.length);
        } else if (data.length < 65536) {
            f.write(0x80 | 126);
            f.write(data.length >>> 8);
            f.write(data.length & 0xFF);
        } else {
            f.write(0x80 | 127);
            long len = data.length;
            for (int i = 7; i >= 0; i--) f.write((int) (len >>> (8 * i)) & 0xFF);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        f.write(mask);
        byte[] masked = new byte[data.length];
        for (int i = 0; i < data.length; i++) masked[i] = (byte) (data[i] ^ mask[i & 3]);
        f.write(masked);
        out.write(f.toByteArray());
        out.flush();
    }

    /** The next data or close frame (answers pings), or throws SocketTimeoutException after the timeout. */
    public Frame read(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        while (true) {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long len = b1 & 0x7F;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            byte[] data = new byte[(int) len];
            in.readFully(data);
            int opcode = b0 & 0x0F;
            if (opcode == PING) {
                sendFrame(PONG, data, true);
                continue;
            }
            return new Frame(opcode, data, (b0 & 0x40) != 0);
        }
    }

    /** Reads the next text frame's content. */
    public String readText(Duration timeout) throws IOException {
        Frame f = read(timeout);
        if (f.opcode() != TEXT) throw new IOException("expected text frame, got opcode " + f.opcode());
        return f.text();
    }

    /** True when the server closed the connection (close frame or EOF) within the timeout. */
    public boolean awaitClosed(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Frame f = read(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
                if (f.opcode() == CLOSE) return true;
            } catch (EOFException e) {
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // connection reset
            }
        }
        return false;
    }

    /** The status code of the server's close frame within the timeout; -1 on EOF without one or a timeout. */
    public int awaitCloseCode(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Frame f = read(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
                if (f.opcode() == CLOSE) {
                    return f.data().length >= 2 ? ((f.data()[0] & 0xFF) << 8) | (f.data()[1] & 0xFF) : -1;
                }
            } catch (IOException e) {
                return -1;
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    public static boolean isTimeout(IOException e) {
        return e instanceof SocketTimeoutException;
    }
}
