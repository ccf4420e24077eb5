package dev.switchboard.emitapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.switchboard.testkit.Await;

/**
 * Issue #15 item 8: callers dribbling bytes must not make /health and /emit unresponsive; a request must be read
 * within the request timeout; one client holds at most its connection cap.
 */
class ApiStarvationTest {
    private static final ServerView EMPTY = new NamespacesView(List::of);
    private static final String EMIT = "{\"namespace\":\"/mcp\",\"event\":\"x\"}";

    /** Generous for a loaded 2-core machine; the starved API of issue #15 never answered at all. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
    /** More dribblers than the API has threads (8 on 2 cores), bounded. */
    private static final int DRIBBLERS = Math.min(48, 4 * Runtime.getRuntime().availableProcessors() + 8);

    @Test
    void dribbledBatchBodiesLeaveHealthAndEmitAnswering() throws Exception {
        try (SwitchboardMetrics metrics = new SwitchboardMetrics();
             EmitApi api = new EmitApi(new EmitApiOptions("127.0.0.1", 0, null, 65536, 10), EMPTY, metrics,
                     new HealthReport(EMPTY, metrics, "test")).start()) {
            List<RawConnection> dribblers = new ArrayList<>();
            try {
                for (int i = 0; i < DRIBBLERS; i++) {
                    RawConnection dribbler = new RawConnection(api.port());
                    dribblers.add(dribbler);
                    dribbler.send("POST /emit/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 1000\r\n\r\n[");
                }
                for (int round = 0; round < 3; round++) { // one more byte each, bounded: 3 rounds
                    for (RawConnection dribbler : dribblers) {
                        dribbler.send(" ");
                    }
                    try (RawConnection probe = new RawConnection("127.0.0.1", api.port(), ANSWER_WITHIN)) {
                        long started = System.nanoTime();
                        RawConnection.Answer health = probe.exchange(RawConnection.request("GET", "/health",
                                "127.0.0.1", "", null));
                        assertThat(health.status()).isEqualTo(200);
                        RawConnection.Answer emit = probe.exchange(RawConnection.request("POST", "/emit", "127.0.0.1",
                                "Content-Type: application/json\r\n", EMIT));
                        assertThat(emit.status()).as(emit.body()).isEqualTo(404); // no namespace here: answered
                        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(ANSWER_WITHIN);
                    }
                }
            } finally {
                for (RawConnection dribbler : dribblers) {
                    dribbler.close();
                }
            }
        }
    }

    @Test
    void aRequestStillArrivingAfterTheTimeoutIsCutAndIdleKeepAliveIsNot() throws Exception {
        Duration timeout = Duration.ofMillis(400);
        try (SwitchboardMetrics metrics = new SwitchboardMetrics();
             EmitApi api = new EmitApi(new EmitApiOptions("127.0.0.1", 0, null, 65536, 10, List.of(), timeout, 0, 1),
                     EMPTY, metrics, new HealthReport(EMPTY, metrics, "test")).start();
             RawConnection slowHead = new RawConnection("127.0.0.1", api.port(), Duration.ofSeconds(5));
             RawConnection slowBody = new RawConnection("127.0.0.1", api.port(), Duration.ofSeconds(5));
             RawConnection idle = new RawConnection("127.0.0.1", api.port(), Duration.ofSeconds(5))) {
            assertThat(idle.exchange(RawConnection.request("GET", "/health", "127.0.0.1", "", null)).status()).isEqualTo(200);
            slowHead.send("GET /health HTTP/1.1\r\n");
            slowBody.send("POST /emit HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{");
            long started = System.nanoTime();
            // one byte every 100 ms, bounded by 60 bytes (6 s): never idle long enough for Jetty's idle timeout
            boolean headCut = false;
            boolean bodyCut = false;
            for (int i = 0; i < 60 && !(headCut && bodyCut); i++) {
                headCut = headCut || !trySend(slowHead, "X");
                bodyCut = bodyCut || !trySend(slowBody, " ");
                Thread.sleep(100);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(headCut).as("slow head cut").isTrue();
            assertThat(bodyCut).as("slow body cut").isTrue();
            assertThat(took).isLessThan(timeout.multipliedBy(10)); // cut between one and two timeouts, plus load
            assertThat(metrics.refusalCount("api_request_timeout")).isEqualTo(2);
            // the idle keep-alive connection outlived several sweeps and still serves
            assertThat(idle.exchange(RawConnection.request("GET", "/health", "127.0.0.1", "", null)).status()).isEqualTo(200);
        }
    }

    @Test
    void oneClientHoldsAtMostItsConnectionCapAndOthersAreServed() throws Exception {
        int cap = 4;
        try (SwitchboardMetrics metrics = new SwitchboardMetrics();
             EmitApi api = new EmitApi(new EmitApiOptions("127.0.0.1", 0, null, 65536, 10, List.of(),
                     EmitApiOptions.DEFAULT_REQUEST_TIMEOUT, cap, 1), EMPTY, metrics,
                     new HealthReport(EMPTY, metrics, "test")).start()) {
            List<RawConnection> held = new ArrayList<>();
            try {
                for (int i = 0; i < cap; i++) {
                    RawConnection connection = new RawConnection("127.0.0.2", api.port(), Duration.ofSeconds(5));
                    held.add(connection);
                    assertThat(connection.exchange(RawConnection.request("GET", "/health", "127.0.0.1", "", null))
                            .status()).isEqualTo(200);
                }
                try (RawConnection over = new RawConnection("127.0.0.2", api.port(), Duration.ofSeconds(5))) {
                    trySend(over, RawConnection.request("GET", "/health", "127.0.0.1", "", null));
                    assertThat(over.closedByServer()).as("connection over the cap closed").isTrue();
                }
                assertThat(metrics.refusalCount("api_too_many_connections")).isEqualTo(1);
                try (RawConnection other = new RawConnection(api.port())) {
                    assertThat(other.exchange(RawConnection.request("GET", "/health", "127.0.0.1", "", null)).status())
                            .isEqualTo(200);
                }
                held.remove(0).close();
                Await.until(() -> {
                    try (RawConnection again = new RawConnection("127.0.0.2", api.port(), Duration.ofSeconds(2))) {
                        return again.exchange(RawConnection.request("GET", "/health", "127.0.0.1", "", null))
                                .status() == 200;
                    } catch (IOException e) {
                        return false;
                    }
                }, Duration.ofSeconds(5), "a slot freed by a closed connection");
            } finally {
                for (RawConnection connection : held) {
                    connection.close();
                }
            }
        }
    }

    private static boolean trySend(RawConnection connection, String text) {
        try {
            connection.send(text);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
