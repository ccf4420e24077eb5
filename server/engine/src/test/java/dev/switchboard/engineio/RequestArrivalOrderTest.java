package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.Await;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue #16 items 5 and 6: the requests of one session reach it in the order they arrived, whichever I/O loop read
 * them. The race is made deterministic with real connections: a route that blocks its I/O loop holds the session's
 * loop in the middle of an I/O pass, while another loop reads the poll sent before and hands it over; the close
 * POST, pipelined behind that route's request and so read in the same pass, must not overtake the poll.
 */
class RequestArrivalOrderTest {
    private static final Duration T = Duration.ofSeconds(5);
    private static final int MAX_CONNECTIONS = 24;

    private final BlockingQueue<EngineSocket> sessions = new LinkedBlockingQueue<>();
    private final Map<String, Gate> gates = new ConcurrentHashMap<>();
    private final List<RawHttp> connections = new ArrayList<>();
    private EngineIoServer server;

    /** A request to /block?gate=name holds its I/O loop until the test opens the gate. */
    private static final class Gate {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);

        void pass() {
            entered.countDown();
            try {
                open.await(10, TimeUnit.SECONDS); // bounded: a failing test never wedges the loop for long
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @AfterEach
    void stop() throws IOException {
        gates.values().forEach(g -> g.open.countDown());
        for (RawHttp c : connections) c.close();
        if (server != null) server.close();
    }

    private void start(int ioThreads) {
        server = EngineIoServer.create(TestEngine.fastOptions().ioThreads(ioThreads).host("127.0.0.1").port(0).build())
                .endpoint(TestEngine.PATH, sessions::add)
                .route("GET", "/loop", r -> HttpReply.text(200, Thread.currentThread().getName()))
                .route("GET", "/block", r -> {
                    gates.get(r.query().get("gate").get(0)).pass();
                    return HttpReply.text(200, "passed");
                })
                .start();
    }

    @ParameterizedTest(name = "ioThreads={0}")
    @ValueSource(ints = {1, 2, 4})
    void closePostReadOnTheSessionsLoopDoesNotOvertakeAnEarlierPollHandedOverByAnotherLoop(int ioThreads)
            throws Exception {
        start(ioThreads);
        for (int round = 0; round < 3; round++) {
            RawHttp handshake = connect();
            String open = handshake.exchange(get(TestEngine.PATH + "?EIO=4&transport=polling")).body;
            String sid = PollingClient.JSON.readTree(open.substring(1)).get("sid").asText();
            EngineSession session = (EngineSession) sessions.poll(5, TimeUnit.SECONDS);
            assertThat(session).isNotNull();
            EventLoop sessionLoop = session.loop;
            String sessionThread = sessionLoop.submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
            String sessionQuery = TestEngine.PATH + "?EIO=4&transport=polling&sid=" + sid;

            // the poll on another loop when there is one; the gate and the close POST on the session's loop, on one
            // connection and in one write, so the POST is read in the same I/O pass the gate holds
            RawHttp poll = connectedTo(t -> ioThreads == 1 || !t.equals(sessionThread));
            RawHttp gateThenClose = connectedTo(sessionThread::equals);
            Gate pollLoopGate = new Gate();
            Gate sessionGate = new Gate();
            gates.put("poll-" + round, pollLoopGate);
            gates.put("session-" + round, sessionGate);
            if (ioThreads > 1) {
                // hold the poll's loop: it reads the poll only once the session's loop is mid-pass
                RawHttp holder = connectedTo(poll.loopThread::equals);
                holder.send(get("/block?gate=poll-" + round));
                assertThat(pollLoopGate.entered.await(5, TimeUnit.SECONDS)).isTrue();
                poll.send(get(sessionQuery));
            } else {
                poll.send(get(sessionQuery));
                Await.until(() -> session.sendVolatile(), T, "poll parked");
            }
            gateThenClose.send(get("/block?gate=session-" + round) + post(sessionQuery, "1")); // sent after the poll
            assertThat(sessionGate.entered.await(5, TimeUnit.SECONDS)).isTrue();
            if (ioThreads > 1) {
                pollLoopGate.open.countDown();
                // the poll's loop read the poll and handed it to the session's loop, which is still mid-pass
                Await.until(() -> ((SingleThreadEventExecutor) sessionLoop).pendingTasks() > 0, T, "poll handed over");
            }
            sessionGate.open.countDown();

            RawHttp.Response released = poll.read();
            assertThat(gateThenClose.read().body).isEqualTo("passed");
            assertThat(gateThenClose.read().body).isEqualTo("ok");
            assertThat(released.status).as("round %d: the poll sent before the close", round).isEqualTo(200);
            assertThat(released.body).as("round %d", round).isEqualTo("6");
            assertThat(handshake.exchange(get(sessionQuery)).status).isEqualTo(400);
        }
    }

    private RawHttp connect() throws IOException {
        RawHttp c = new RawHttp(server.port());
        connections.add(c);
        return c;
    }

    /** A keep-alive connection whose I/O loop matches (asked through /loop); bounded number of tries. */
    private RawHttp connectedTo(java.util.function.Predicate<String> loopThread) throws IOException {
        for (int i = 0; i < MAX_CONNECTIONS; i++) {
            RawHttp c = connect();
            c.loopThread = c.exchange(get("/loop")).body;
            if (loopThread.test(c.loopThread)) return c;
        }
        throw new AssertionError("no connection on the wanted loop within " + MAX_CONNECTIONS + " tries");
    }

    private String get(String pathAndQuery) {
        return "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n\r\n";
    }

    private String post(String pathAndQuery, String body) {
        return "POST " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                + "\r\nContent-Type: text/plain;charset=UTF-8\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /** One keep-alive HTTP/1.1 connection over a plain socket (loopback), one request at a time. */
    private static final class RawHttp implements AutoCloseable {
        record Response(int status, String body) {
        }

        final Socket socket;
        final DataInputStream in;
        String loopThread;

        RawHttp(int port) throws IOException {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(5000);
            socket.setTcpNoDelay(true);
            in = new DataInputStream(socket.getInputStream());
        }

        void send(String request) throws IOException {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
        }

        Response exchange(String request) throws IOException {
            send(request);
            return read();
        }

        Response read() throws IOException {
            int status = Integer.parseInt(line().split(" ")[1]);
            int length = 0;
            String header;
            while (!(header = line()).isEmpty()) {
                int colon = header.indexOf(':');
                if (header.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                    length = Integer.parseInt(header.substring(colon + 1).trim());
                }
            }
            byte[] body = new byte[length];
            in.readFully(body);
            return new Response(status, new String(body, StandardCharsets.UTF_8));
        }

        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) throw new java.io.EOFException("connection closed");
                if (c != '\r') line.write(c);
            }
            return line.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
