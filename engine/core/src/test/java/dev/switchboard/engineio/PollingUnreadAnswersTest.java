package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.Await;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A polling client that never reads a poll's answer and polls again on a new connection: each answer stays in the
 * server's memory on its own connection. They count toward the session's outbound hard limit, so the session is
 * cut as a slow consumer after about outboundHardLimit of unread answers instead of taking that much per poll, and
 * the connections holding them are closed with it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PollingUnreadAnswersTest {
    private static final int MESSAGE = 900_000;
    /** Messages per answer: 5.4 MB, more than the kernel takes for one connection (tcp_wmem's 4 MB at most). */
    private static final int PER_POLL = 6;
    private static final int POLLS = 20; // 108 MB of answers if nothing counted them
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void answersLeftUnreadOnEarlierConnectionsCountTowardTheHardLimit() throws Exception {
        try (TestEngine engine = new TestEngine(TestEngine.fastOptions().build());
             RawHttp control = RawHttp.connect("127.0.0.1", engine.port())) {
            String base = TestEngine.PATH + "?EIO=4&transport=polling";
            RawHttp.Answer open = control.exchange(RawHttp.get(base, engine.port()));
            Matcher sid = Pattern.compile("\"sid\":\"([^\"]+)\"").matcher(open.body());
            assertThat(sid.find()).as(open.body()).isTrue();
            String poll = base + "&sid=" + sid.group(1);
            EngineSocket session = engine.nextConnection();
            String message = "4" + "x".repeat(MESSAGE);
            List<Socket> unread = new ArrayList<>();
            int polls = 0;
            try {
                while (polls < POLLS && engine.closeReasons.get(session.id()) == null) {
                    int echoed = engine.received.get(session.id()).size() + PER_POLL;
                    for (int i = 0; i < PER_POLL; i++) {
                        if (control.exchange(post(poll, engine.port(), message)).status() != 200) break; // cut
                    }
                    if (engine.closeReasons.get(session.id()) != null) break;
                    Await.until(() -> engine.received.get(session.id()).size() >= echoed, WAIT, "the messages echoed");
                    Socket reader = new Socket();
                    reader.setReceiveBufferSize(4096); // and never read from it
                    reader.connect(new InetSocketAddress("127.0.0.1", engine.port()), 5000);
                    reader.getOutputStream().write(RawHttp.get(poll, engine.port()).getBytes(StandardCharsets.ISO_8859_1));
                    unread.add(reader);
                    polls++; // answered at once (the echo waits for it), the answer left on that connection
                }
                assertThat(engine.awaitClose(session.id(), WAIT)).isEqualTo(EngineSocket.SLOW_CONSUMER);
                assertThat(polls).as("polls answered before the session was cut").isLessThanOrEqualTo(8);
                // and the connections holding the unread answers are closed with it: the memory comes back
                Await.until(() -> engine.server.openConnections() <= 1, WAIT, "only the control connection left");
            } finally {
                for (Socket s : unread) s.close();
            }
        }
    }

    private static String post(String pathAndQuery, int port, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return "POST " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nContent-Type: text/plain;charset=UTF-8\r\nContent-Length: " + bytes.length + "\r\n\r\n" + body;
    }
}
