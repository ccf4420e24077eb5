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
 * loop in the middle of an I/O pass, while another loop reads a request sent before and hands it over; a POST
 * pipelined behind that route's request, and so read in the same pass, must not overtake it.
 */
class RequestArrivalOrderTest {
    private static final Duration T = Duration.ofSeconds(15); // a deadline, not a pause: generous for a loaded machine
    private static final int MAX_CONNECTIONS = 24;

    private final BlockingQueue<EngineSocket> sessions = new LinkedBlockingQueue<>();
    private final Map<String, List<String>> received = new ConcurrentHashMap<>();
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
                .endpoint(TestEngine.PATH, socket -> {
                    List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
                    received.put(socket.id(), messages);
                    socket.setListener(new EngineSocket.Listener() {
                        @Override
                        public void onMessage(String text) {
                            messages.add(text);
                        }

                        @Override
                        public void onBinary(byte[] data) {
                        }

                        @Override
                        public void onClose(String reason) {
                        }
                    });
                    sessions.add(socket);
                })
                .route("GET", "/loop", r -> HttpReply.text(200, Thread.currentThread().getName()))
                .route("GET", "/block", r -> {
                    gates.get(r.query().get("gate").get(0)).pass();
                    return HttpReply.text(200, "passed");
                })
                .start();
    }

    /** Item 5 through item 6: the poll sent before the client's close gets the noop, not a 400. */
    @ParameterizedTest(name = "ioThreads={0}")
    @ValueSource(ints = {1, 2, 4})
    void closePostReadOnTheSessionsLoopDoesNotOvertakeAnEarlierPollHandedOverByAnotherLoop(int ioThreads)
            throws Exception {
        start(ioThreads);
        for (int round = 0; round < 3; round++) {
            Race race = race(ioThreads, round, true);
            RawHttp.Response released = race.earlier.read();
            assertThat(race.later.read().body).isEqualTo("passed");
            assertThat(race.later.read().body).isEqualTo("ok");
            assertThat(released.status).as("round %d: the poll sent before the close", round).isEqualTo(200);
            assertThat(released.body).as("round %d", round).isEqualTo("6");
        }
    }

    /** Item 6: two POSTs of one session on two connections are delivered in the order they were sent. */
    @ParameterizedTest(name = "ioThreads={0}")
    @ValueSource(ints = {1, 2, 4})
    void messagesPostedOnTwoConnectionsAreDeliveredInTheOrderSent(int ioThreads) throws Exception {
        start(ioThreads);
        for (int round = 0; round < 3; round++) {
            Race race = race(ioThreads, round, false);
            assertThat(race.earlier.read().body).isEqualTo("ok");
            assertThat(race.later.read().body).isEqualTo("passed");
            assertThat(race.later.read().body).isEqualTo("ok");
            Await.until(() -> received.get(race.sid).size() == 2, T, "both messages delivered"); // "ok" leaves first
            assertThat(received.get(race.sid)).as("round %d", round).containsExactly("first", "second");
        }
    }

    private record Race(String sid, RawHttp earlier, RawHttp later) {
    }

    /**
     * A new session; then an earlier request (a poll, or a POST of "4first") on a connection of another loop when
     * there is one, and a later POST ("1", or "4second") pipelined behind a gate request on a connection of the
     * session's loop: one write, so the gate holds the session's loop in the very I/O pass that reads the later
     * POST, while the other loop reads the earlier request and hands it over. Returns once both gates are open.
     */
    private Race race(int ioThreads, int round, boolean pollThenClose) throws Exception {
        RawHttp handshake = connect();
        String open = handshake.exchange(get(TestEngine.PATH + "?EIO=4&transport=polling")).body;
        String sid = PollingClient.JSON.readTree(open.substring(1)).get("sid").asText();
        EngineSession session = (EngineSession) sessions.poll(5, TimeUnit.SECONDS);
        assertThat(session).isNotNull();
        EventLoop sessionLoop = session.loop;
        String sessionThread = sessionLoop.submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
        String sessionQuery = TestEngine.PATH + "?EIO=4&transport=polling&sid=" + sid;
        String earlierRequest = pollThenClose ? get(sessionQuery) : post(sessionQuery, "4first");
        String laterPost = post(sessionQuery, pollThenClose ? "1" : "4second");

        RawHttp earlier = connectedTo(t -> ioThreads == 1 || !t.equals(sessionThread));
        RawHttp later = connectedTo(sessionThread::equals);
        Gate otherLoopGate = new Gate();
        Gate sessionGate = new Gate();
        gates.put("other-" + round + pollThenClose, otherLoopGate);
        gates.put("session-" + round + pollThenClose, sessionGate);
        if (ioThreads > 1) {
            // hold the other loop: it reads the earlier request only once the session's loop is mid-pass
            RawHttp holder = connectedTo(earlier.loopThread::equals);
            holder.send(get("/block?gate=other-" + round + pollThenClose));
            assertThat(otherLoopGate.entered.await(5, TimeUnit.SECONDS)).isTrue();
            earlier.send(earlierRequest);
        } else if (pollThenClose) {
            earlier.send(earlierRequest);
            Await.until(() -> session.sendVolatile(), T, "poll parked");
        } else {
            assertThat(earlier.exchange(earlierRequest).body).isEqualTo("ok");
            earlier.pending = new RawHttp.Response(200, "ok");
        }
        later.send(get("/block?gate=session-" + round + pollThenClose) + laterPost); // sent after the earlier one
        assertThat(sessionGate.entered.await(5, TimeUnit.SECONDS)).isTrue();
        if (ioThreads > 1) {
            otherLoopGate.open.countDown();
            // the other loop read the earlier request and handed it to the session's loop, still mid-pass
            Await.until(() -> ((SingleThreadEventExecutor) sessionLoop).pendingTasks() > 0, T, "request handed over");
        }
        sessionGate.open.countDown();
        return new Race(sid, earlier, later);
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
        Response pending; // already read (one loop: the earlier request is answered before the race)

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
            if (pending != null) {
                Response r = pending;
                pending = null;
                return r;
            }
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
