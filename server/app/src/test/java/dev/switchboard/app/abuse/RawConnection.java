package dev.switchboard.app.abuse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One TCP connection from a chosen loopback source address (127.0.0.N), speaking raw HTTP/1.1 and WebSocket
 * frames without any client-side validation, so the server sees exactly the bytes a hostile client sends.
 */
final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RawConnection open(String sourceAddress, int port, int readTimeoutMs) throws IOException {
        Socket s = new Socket();
        try {
            s.bind(new InetSocketAddress(InetAddress.getByName(sourceAddress), 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 3000);
            s.setSoTimeout(readTimeoutMs);
            s.setTcpNoDelay(true);
            return new RawConnection(s);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** Sends one request with {@code Connection: close} and returns the status code (-1 when none came). */
    int request(String method, String pathAndQuery, String extraHeaders, byte[] body) throws IOException {
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nConnection: close\r\n").append(extraHeaders);
        if (body != null) {
            head.append("Content-Type: text/plain;charset=UTF-8\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.write(body);
        }
        out.flush();
        String all = readAll();
        if (!all.startsWith("HTTP/1.1 ") || all.length() < 12) {
            return -1;
        }
        return Integer.parseInt(all.substring(9, 12));
    }

    /** Body of the last response read by {@link #request}, after the blank line. */
    String lastBody() {
        int at = lastResponse.indexOf("\r\n\r\n");
        return at < 0 ? "" : lastResponse.substring(at + 4);
    }

    private String lastResponse = "";

    private String readAll() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            int n;
            while ((n = in.read(chunk)) >= 0 && buf.size() < 4 << 20) {
                buf.write(chunk, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // a long-poll that is still open: what came so far is the answer
        }
        lastResponse = buf.toString(StandardCharsets.ISO_8859_1);
        return lastResponse;
    }

    /** WebSocket upgrade; true when the server answered 101. */
    boolean upgrade(String pathAndQuery) throws IOException {
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        String head = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + java.util.Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        StringBuilder line = new StringBuilder();
        int crlfs = 0;
        int b;
        while (crlfs < 4 && (b = in.read()) >= 0 && line.length() < 16384) {
            line.append((char) b);
            crlfs = (b == '\r' || b == '\n') ? crlfs + 1 : 0;
        }
        return line.toString().startsWith("HTTP/1.1 101");
    }

    /** One frame; {@code masked=false} and odd opcodes are part of the abuse. */
    void frame(int opcode, boolean fin, boolean masked, byte[] payload) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
        f.write((fin ? 0x80 : 0) | (opcode & 0x0f));
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            f.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            f.write(maskBit | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length & 0xff);
        } else {
            f.write(maskBit | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) payload.length >>> (8 * i)) & 0xff);
            }
        }
        byte[] data = payload;
        if (masked) {
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            f.write(mask, 0, 4);
            data = payload.clone();
            for (int i = 0; i < data.length; i++) {
                data[i] ^= mask[i & 3];
            }
        }
        f.write(data, 0, data.length);
        out.write(f.toByteArray());
        out.flush();
    }

    /** Reads and drops whatever the server has sent; false once the server closed the connection. */
    boolean drain() throws IOException {
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
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket the server already dropped
        }
    }
}
