package dev.switchboard.testkit;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The WebSocket test client of every module: a blocking client over a plain socket (loopback only) that sends
 * exactly the frames a test writes, masked or not, and reads frame by frame. It answers WebSocket pings while
 * reading; with {@link Builder#answerEnginePings()} it also answers Engine.IO pings ("2") and hides them.
 * Helpers on top: the Engine.IO open ({@link #awaitOpen()}), Socket.IO text and binary frames
 * ({@link #nextText()}, {@link #nextBinary()}), JSON messages of the plain {@code /ws} endpoint
 * ({@link #takeJson}), and draining for abuse loops ({@link #drain()}).
 */
public final class RawWebSocket implements AutoCloseable {
    public static final int CONTINUATION = 0;
    public static final int TEXT = 1;
    public static final int BINARY = 2;
    public static final int CLOSE = 8;
    public static final int PING = 9;
    public static final int PONG = 10;

    /** The Engine.IO v4 WebSocket endpoint. */
    public static final String ENGINE_IO_PATH = "/socket.io/?EIO=4&transport=websocket";
    private static final Duration NEXT_WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

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
    public final Handshake handshake;
    private final DataInputStream in;
    private final OutputStream out;
    private final boolean answerEnginePings;

    private RawWebSocket(Socket socket, Handshake handshake, DataInputStream in, boolean answerEnginePings)
            throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.handshake = handshake;
        this.answerEnginePings = answerEnginePings;
    }

    /** A connection to 127.0.0.1:port; set what differs from the defaults, then {@link Builder#open()}. */
    public static Builder to(int port) {
        return new Builder(port);
    }

    public static RawWebSocket connect(int port, String pathAndQuery, Map<String, String> extraHeaders) throws IOException {
        return to(port).path(pathAndQuery).headers(extraHeaders).open();
    }

    /** receiveBuffer > 0 shrinks the socket receive buffer (for clients that stop reading). */
    public static RawWebSocket connect(int port, String pathAndQuery, Map<String, String> extraHeaders, int receiveBuffer)
            throws IOException {
        return to(port).path(pathAndQuery).headers(extraHeaders).receiveBuffer(receiveBuffer).open();
    }

    /** Engine.IO over WebSocket, answering Engine.IO pings while reading (a live client). */
    public static RawWebSocket engineIo(int port) throws IOException {
        return to(port).answerEnginePings().open();
    }

    /** Engine.IO over WebSocket that never answers Engine.IO pings (a silent client). */
    public static RawWebSocket engineIoSilent(int port) throws IOException {
        return to(port).open();
    }

    public static final class Builder {
        private final int port;
        private String pathAndQuery = ENGINE_IO_PATH;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String sourceAddress;
        private int receiveBuffer;
        private int timeoutMillis = 5000;
        private boolean answerEnginePings;

        private Builder(int port) {
            this.port = port;
        }

        public Builder path(String pathAndQuery) {
            this.pathAndQuery = pathAndQuery;
            return this;
        }

        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Builder headers(Map<String, String> extra) {
            headers.putAll(extra);
            return this;
        }

        /** Connect from this loopback address (127.x.y.z), to be another client for per-address limits. */
        public Builder from(String loopbackSourceAddress) {
            this.sourceAddress = loopbackSourceAddress;
            return this;
        }

        /** A small receive buffer (bytes) makes a client that stops reading fill the server's queue fast. */
        public Builder receiveBuffer(int bytes) {
            this.receiveBuffer = bytes;
            return this;
        }

        /** Connect and handshake timeout, and the read timeout of the handshake (default 5 s). */
        public Builder timeout(Duration timeout) {
            this.timeoutMillis = (int) Math.max(1, timeout.toMillis());
            return this;
        }

        public Builder answerEnginePings() {
            this.answerEnginePings = true;
            return this;
        }

        /** Connects and sends the upgrade; a refused upgrade is no error: see {@link RawWebSocket#handshake}. */
        public RawWebSocket open() throws IOException {
            Socket s = new Socket();
            try {
                if (receiveBuffer > 0) s.setReceiveBufferSize(receiveBuffer);
                if (sourceAddress != null) s.bind(new InetSocketAddress(InetAddress.getByName(sourceAddress), 0));
                s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
                s.setSoTimeout(timeoutMillis);
                s.setTcpNoDelay(true);
                return handshake(s);
            } catch (IOException | RuntimeException e) {
                s.close();
                throw e;
            }
        }

        private RawWebSocket handshake(Socket s) throws IOException {
            byte[] key = new byte[16];
            ThreadLocalRandom.current().nextBytes(key);
            StringBuilder req = new StringBuilder()
                    .append("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\n")
                    .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                    .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(key)).append("\r\n")
                    .append("Sec-WebSocket-Version: 13\r\n");
            headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            req.append("\r\n");
            s.getOutputStream().write(req.toString().getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            String status = readLine(in);
            Map<String, String> answerHeaders = new LinkedHashMap<>();
            String line;
            while (!(line = readLine(in)).isEmpty()) {
                int colon = line.indexOf(':');
                answerHeaders.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
            }
            int code = Integer.parseInt(status.split(" ")[1]);
            String body = "";
            if (code != 101 && answerHeaders.containsKey("content-length")) {
                byte[] b = new byte[Integer.parseInt(answerHeaders.get("content-length"))];
                in.readFully(b);
                body = new String(b, StandardCharsets.UTF_8);
            }
            return new RawWebSocket(s, new Handshake(code, answerHeaders, body), in, answerEnginePings);
        }
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

    public void sendFrame(int opcode, byte[] data, boolean fin) throws IOException {
        sendFrame(opcode, data, fin, false);
    }

    /**
     * {@code count} copies of one masked frame, written 64 KiB at a time. A flood for abuse tests: a write per frame
     * (TCP_NODELAY, a segment each) piles tiny segments into the server's receive queue, whose per-segment overhead
     * the kernel then prunes and drops, and the flood stalls in retransmission backoff with the server idle (seen
     * with a client that reads nothing: 3.9 MB unacknowledged, 6.5 s between retries).
     */
    public synchronized void sendFrames(int opcode, byte[] data, int count) throws IOException {
        ByteArrayOutputStream chunk = new ByteArrayOutputStream(64 << 10);
        for (int i = 0; i < count; i++) {
            chunk.write(frame(opcode, data, true, false, true));
            if (chunk.size() >= 64 << 10) {
                out.write(chunk.toByteArray());
                chunk.reset();
            }
        }
        out.write(chunk.toByteArray());
        out.flush();
    }

    /** rsv1 marks a permessage-deflate compressed message. */
    public void sendFrame(int opcode, byte[] data, boolean fin, boolean rsv1) throws IOException {
        sendFrame(opcode, data, fin, rsv1, true);
    }

    /** {@code masked=false} (a client must mask) and odd opcodes are for abuse tests. */
    public synchronized void sendFrame(int opcode, byte[] data, boolean fin, boolean rsv1, boolean masked)
            throws IOException {
        out.write(frame(opcode, data, fin, rsv1, masked));
        out.flush();
    }

    private static byte[] frame(int opcode, byte[] data, boolean fin, boolean rsv1, boolean masked) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream(data.length + 14);
        f.write((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | (opcode & 0x0F));
        int maskBit = masked ? 0x80 : 0;
        if (data.length < 126) {
            f.write(maskBit | data.length);
        } else if (data.length < 65536) {
            f.write(maskBit | 126);
            f.write(data.length >>> 8);
            f.write(data.length & 0xFF);
        } else {
            f.write(maskBit | 127);
            long len = data.length;
            for (int i = 7; i >= 0; i--) f.write((int) (len >>> (8 * i)) & 0xFF);
        }
        if (masked) {
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            f.write(mask);
            byte[] maskedData = new byte[data.length];
            for (int i = 0; i < data.length; i++) maskedData[i] = (byte) (data[i] ^ mask[i & 3]);
            f.write(maskedData);
        } else {
            f.write(data);
        }
        return f.toByteArray();
    }

    /**
     * The next data or close frame, or throws SocketTimeoutException after the timeout. Answers WebSocket pings;
     * answers and skips Engine.IO pings when built with {@link Builder#answerEnginePings()}.
     */
    public Frame read(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            // the timeout bounds the whole call: pings answered meanwhile do not extend it
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("no frame within " + timeout);
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
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
            if (answerEnginePings && opcode == TEXT && data.length == 1 && data[0] == '2') {
                sendText("3");
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

    /** Waits for the Engine.IO open packet and returns it without the leading "0". */
    public String awaitOpen() throws IOException {
        String open = nextText();
        if (!open.startsWith("0{")) {
            throw new AssertionError("expected the Engine.IO open packet, got " + open);
        }
        return open.substring(1);
    }

    /** The next text frame other than an Engine.IO ping, within 10 s; a close frame fails. */
    public String nextText() throws IOException {
        while (true) {
            Frame f = read(NEXT_WAIT);
            if (f.opcode() == CLOSE) {
                throw new AssertionError("closed (code " + closeCode(f) + ") while waiting for a text frame");
            }
            if (f.opcode() == TEXT && !"2".equals(f.text())) {
                return f.text();
            }
        }
    }

    /** The next frame, within 10 s, which must be binary. */
    public byte[] nextBinary() throws IOException {
        Frame f = read(NEXT_WAIT);
        if (f.opcode() != BINARY) {
            throw new AssertionError("expected a binary frame, got opcode " + f.opcode());
        }
        return f.data();
    }

    /** The first JSON text message (from here on) that matches, within the wait; non-JSON text is a text node. */
    public JsonNode takeJson(Predicate<JsonNode> match, Duration wait) throws IOException {
        List<JsonNode> taken = takeJsonUntil(match, wait);
        return taken.get(taken.size() - 1);
    }

    /** Every JSON text message up to and including the first that matches, within the wait. */
    public List<JsonNode> takeJsonUntil(Predicate<JsonNode> match, Duration wait) throws IOException {
        List<JsonNode> taken = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Frame f;
            try {
                f = read(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no matching message within " + wait + "; got " + taken);
            }
            if (f.opcode() == CLOSE) {
                throw new AssertionError("closed (code " + closeCode(f) + ") before a matching message; got " + taken);
            }
            if (f.opcode() != TEXT) {
                continue;
            }
            JsonNode message;
            try {
                message = JSON.readTree(f.text());
            } catch (IOException notJson) {
                message = JSON.getNodeFactory().textNode(f.text());
            }
            taken.add(message);
            if (match.test(message)) {
                return taken;
            }
        }
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
                    return closeCode(f);
                }
            } catch (IOException e) {
                return -1;
            }
        }
        return -1;
    }

    private static int closeCode(Frame close) {
        byte[] d = close.data();
        return d.length >= 2 ? ((d[0] & 0xFF) << 8) | (d[1] & 0xFF) : -1;
    }

    /** Reads and drops what the server has sent so far (at most 1 MiB); false once it closed the connection. */
    public boolean drain() throws IOException {
        byte[] chunk = new byte[16384];
        int budget = 1 << 20;
        while (budget > 0 && in.available() > 0) {
            int n = in.read(chunk);
            if (n < 0) {
                return false;
            }
            budget -= n;
        }
        return !socket.isClosed() && !socket.isInputShutdown();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    public static boolean isTimeout(IOException e) {
        return e instanceof SocketTimeoutException;
    }
}
