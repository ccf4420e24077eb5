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

/**
 * One TCP connection from a chosen loopback source address (127.0.0.N), speaking raw HTTP/1.1 without any
 * client-side validation, so the server sees exactly the bytes a hostile client sends (WebSocket: the test kit's
 * RawWebSocket).
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

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket the server already dropped
        }
    }
}
