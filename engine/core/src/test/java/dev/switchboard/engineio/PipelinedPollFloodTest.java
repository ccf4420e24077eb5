package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Polling requests for a session read by another I/O loop than the session's are queued for the session's loop,
 * and their answers are written only once it runs them: a client pipelining POSTs on such a connection while the
 * session's loop is busy made the server read and hold every body (up to maxPayload each; Netty's codec stops at
 * 128 unanswered requests, 128 MB per connection). Bounded: 60 POSTs of 900 kB here (54 MB), past the default
 * bound of 32 MiB.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipelinedPollFloodTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static final int FLOOD = 60;
    private BusySessionLoop busy;
    private TestEngine engine;

    @AfterEach
    void stop() {
        if (busy != null) busy.close();
    }

    @Test
    void pipelinedPostsQueuedForABusySessionLoopCloseTheConnectionAndTheSessionPastTheBound() throws Exception {
        busy = new BusySessionLoop(T);
        engine = busy.engine;
        try (RawHttp first = RawHttp.connect("127.0.0.1", engine.port()); // the session's loop
             RawHttp other = RawHttp.connect("127.0.0.1", engine.port())) { // the other loop (round robin over two)
            String open = first.exchange(RawHttp.get(TestEngine.PATH + "?EIO=4&transport=polling", engine.port())).body();
            String sid = PollingClient.JSON.readTree(open.substring(1)).get("sid").asText();
            String path = TestEngine.PATH + "?EIO=4&transport=polling&sid=" + sid;
            assertThat(other.exchange(post(path, "4block")).body()).isEqualTo("ok");
            assertThat(busy.awaitBlocked(T)).as("session loop busy").isTrue();

            String big = post(path, "4" + "x".repeat(900_000));
            try {
                for (int i = 0; i < FLOOD; i++) other.send(big);
            } catch (IOException closedByTheServer) {
                // the server may close while the pipeline is on its way
            }
            assertThat(closedWithin(other, T))
                    .as("the server closed the connection while the session's loop was still busy").isTrue();
            busy.release();
            assertThat(engine.awaitClose(sid, T)).isEqualTo("transport error");
            assertThat(busy.delivered.get()).as("messages the session took").isLessThanOrEqualTo(40);
        }
    }

    private String post(String path, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + engine.port() + "\r\nContent-Type: text/plain\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /** True once the server ends the connection within the timeout (whatever it answered before). */
    private static boolean closedWithin(RawHttp c, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        InputStream in = c.socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            while (System.nanoTime() < deadline) {
                c.socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (in.read(buffer) < 0) return true;
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
