package dev.switchboard.emitapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.SocketIoServer;

/**
 * Runs {@code POST /emit} a few thousand times at start-up, before the ports open, so that the JIT has compiled the
 * request path (Jetty's HTTP parser and generator, {@link EmitRoute}, the JSON reader, {@link Emitter}, the
 * broadcast) before the first caller arrives: without it the first ~10 s of load run interpreted code while the
 * compiler threads take the same cores (docs/benchmarks.md, "POST /emit from a cold start").
 * <p>
 * Nothing here is the live server's: the requests go over one loopback connection to a Jetty server of its own on
 * an ephemeral 127.0.0.1 port (closed before the live ports open) and an emit path of its own, over a never-started Socket.IO server with one empty namespace (no socket, no adapter of the
 * live server, so no client and no other node sees an event) and metrics of its own (nothing counted as traffic).
 * Bounded by a request count and a time budget, whichever comes first.
 */
public final class EmitWarmUp {
    private static final Logger log = LoggerFactory.getLogger(EmitWarmUp.class);
    static final String NAMESPACE = "/warm-up";
    private static final byte[] REQUEST = ("POST /emit HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s").formatted(body().length(), body())
            .getBytes(StandardCharsets.US_ASCII);

    /** What a run did. */
    public record Result(int requests, int answered, long elapsedMillis) {
    }

    private final int maxRequests;
    private final Duration budget;

    public EmitWarmUp(int maxRequests, Duration budget) {
        this.maxRequests = maxRequests;
        this.budget = budget;
    }

    /** The start-up default: 10,000 requests or 1.5 s, whichever comes first. */
    public static EmitWarmUp atStartUp() {
        return new EmitWarmUp(10_000, Duration.ofMillis(1_500));
    }

    private static String body() {
        return "{\"namespace\":\"" + NAMESPACE + "\",\"room\":\"warm-up\",\"event\":\"warm-up\","
                + "\"data\":{\"id\":1,\"text\":\"warm-up\",\"tags\":[\"a\",\"b\"],\"nested\":{\"ok\":true}}}";
    }

    /** Runs the requests; never throws (a failed warm-up costs only the cold tail it would have cut). */
    public Result run() {
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        int requests = 0;
        int answered = 0;
        SocketIoServer io = SocketIoServer.builder().build(); // never started: no port, no I/O thread
        Namespace namespace = io.of(NAMESPACE);
        QueuedThreadPool pool = new QueuedThreadPool(6, 1);
        pool.setName("emit-warm-up");
        Server server = new Server(pool);
        try (SwitchboardMetrics metrics = new SwitchboardMetrics()) {
            // a loopback socket on an ephemeral port, open only while the warm-up runs: the same Jetty socket
            // classes as live traffic, so the JIT profiles what it will meet (a warm-up through Jetty's in-memory
            // connector left seconds 3-7 of load slower than no warm-up: docs/benchmarks.md)
            ServerConnector connector = new ServerConnector(server, 1, 1);
            connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
            connector.setPort(0);
            server.addConnector(connector);
            server.setHandler(new EmitRoute(new EmitEndpoint(new Emitter(new OneNamespace(namespace), metrics),
                    new BearerAuth(null), metrics, 64 * 1024, 1)));
            server.start();
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), connector.getLocalPort())) {
                socket.setSoTimeout(1_000);
                socket.setTcpNoDelay(true);
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[4096];
                while (requests < maxRequests && System.nanoTime() < deadline) {
                    requests++;
                    out.write(REQUEST);
                    if (readAnswer(in, buffer) == 200) {
                        answered++;
                    }
                }
            }
        } catch (Exception e) {
            log.warn("event=emit_warm_up_failed requests={} error={}", requests, e.toString());
        } finally {
            stop(server);
            io.close(Duration.ZERO);
        }
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        log.info("event=emit_warm_up requests={} answered={} elapsedMs={} budgetMs={} maxRequests={}",
                requests, answered, elapsed, budget.toMillis(), maxRequests);
        return new Result(requests, answered, elapsed);
    }

    /** Reads one answer (head, then Content-Length bytes of body) and returns its status. */
    private static int readAnswer(InputStream in, byte[] buffer) throws IOException {
        int length = 0;
        int headEnd = -1;
        while (headEnd < 0) {
            int n = in.read(buffer, length, buffer.length - length);
            if (n < 0) {
                throw new IOException("connection closed mid-answer");
            }
            length += n;
            headEnd = indexOfBlankLine(buffer, length);
            if (headEnd < 0 && length == buffer.length) {
                throw new IOException("answer head too long");
            }
        }
        String head = new String(buffer, 0, headEnd, StandardCharsets.US_ASCII);
        int bodyLength = Integer.parseInt(head.replaceAll("(?is).*\\r\\ncontent-length:\\s*(\\d+).*", "$1"));
        int missing = bodyLength - (length - headEnd - 4);
        while (missing > 0) {
            int n = in.read(buffer, 0, Math.min(missing, buffer.length));
            if (n < 0) {
                throw new IOException("connection closed mid-body");
            }
            missing -= n;
        }
        return Integer.parseInt(head.substring(9, 12));
    }

    private static int indexOfBlankLine(byte[] bytes, int length) {
        for (int i = 3; i < length; i++) {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                return i - 3;
            }
        }
        return -1;
    }

    private static void stop(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("event=emit_warm_up_stop_failed error={}", e.toString());
        }
    }

    /** The warm-up's own view: one empty namespace, never the live server's. */
    private record OneNamespace(Namespace namespace) implements ServerView {
        @Override
        public Namespace namespace(String name) {
            return namespace.name().equals(name) ? namespace : null;
        }

        @Override
        public Collection<Namespace> namespaces() {
            return List.of(namespace);
        }

        @Override
        public int activeStreams() {
            return 0;
        }

        @Override
        public ServerStatus status() {
            return ServerStatus.OK;
        }
    }
}
