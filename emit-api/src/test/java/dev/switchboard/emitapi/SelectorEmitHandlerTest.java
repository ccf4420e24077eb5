package dev.switchboard.emitapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jetty.util.thread.Invocable;
import org.junit.jupiter.api.Test;

/**
 * POST /emit is answered on the thread that read it (no hand-off to the API pool), and that changes nothing for
 * a caller: a body arriving late still holds no thread and is answered, every other route still is.
 */
class SelectorEmitHandlerTest {
    private static final ServerView EMPTY = new NamespacesView(List::of);
    private static final String EMIT = "{\"namespace\":\"/mcp\",\"event\":\"x\"}";
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
    /** More callers mid-body than the API has threads (8 on 2 cores), bounded. */
    private static final int DRIBBLERS = Math.min(48, 4 * Runtime.getRuntime().availableProcessors() + 8);

    private static EmitApi start(SwitchboardMetrics metrics) {
        return new EmitApi(new EmitApiOptions("127.0.0.1", 0, null, 65536, 10), EMPTY, metrics,
                new HealthReport(EMPTY, metrics, "test")).start();
    }

    @Test
    void jettyRunsRequestsOnTheThreadThatReadThem() {
        try (SwitchboardMetrics metrics = new SwitchboardMetrics(); EmitApi api = start(metrics)) {
            assertThat(api.invocationType()).isEqualTo(Invocable.InvocationType.NON_BLOCKING);
        }
    }

    /** More selectors than the pool's default size (8 on 2 cores): the pool grows with them. */
    @Test
    void thePortHasTheConfiguredNumberOfSelectors() {
        try (SwitchboardMetrics metrics = new SwitchboardMetrics();
             EmitApi api = new EmitApi(new EmitApiOptions("127.0.0.1", 0, null, 65536, 10, List.of(),
                     EmitApiOptions.DEFAULT_REQUEST_TIMEOUT, 0, 9), EMPTY, metrics,
                     new HealthReport(EMPTY, metrics, "test")).start()) {
            assertThat(api.selectors()).isEqualTo(9);
            assertThat(api.port()).isPositive();
        }
    }

    @Test
    void byDefaultOneSelectorPerCoreSoEmitsAreNotAllOnOneThread() {
        try (SwitchboardMetrics metrics = new SwitchboardMetrics(); EmitApi api = start(metrics)) {
            assertThat(api.selectors()).isEqualTo(Runtime.getRuntime().availableProcessors());
        }
    }

    @Test
    void singleEmitsWhoseBodyArrivesLateHoldNoThreadAndAreAnswered() throws Exception {
        try (SwitchboardMetrics metrics = new SwitchboardMetrics(); EmitApi api = start(metrics)) {
            List<RawConnection> late = new ArrayList<>();
            try {
                String request = RawConnection.request("POST", "/emit", "127.0.0.1",
                        "Content-Type: application/json\r\n", EMIT);
                int split = request.length() - EMIT.length() / 2;
                for (int i = 0; i < DRIBBLERS; i++) {
                    RawConnection caller = new RawConnection("127.0.0.1", api.port(), ANSWER_WITHIN);
                    late.add(caller);
                    caller.send(request.substring(0, split));
                }
                try (RawConnection probe = new RawConnection("127.0.0.1", api.port(), ANSWER_WITHIN)) {
                    assertThat(probe.exchange(RawConnection.request("GET", "/health", "127.0.0.1", "", null))
                            .status()).isEqualTo(200);
                    assertThat(probe.exchange(request).status()).isEqualTo(404); // no namespace here: answered
                }
                for (RawConnection caller : late) {
                    caller.send(request.substring(split));
                }
                for (RawConnection caller : late) {
                    RawConnection.Answer answer = caller.read();
                    assertThat(answer.status()).isEqualTo(404);
                    assertThat(answer.body()).contains("UNKNOWN_NAMESPACE");
                }
            } finally {
                for (RawConnection caller : late) {
                    caller.close();
                }
            }
        }
    }

    @Test
    void everyOtherRouteIsStillAnsweredFromThePool() throws Exception {
        try (SwitchboardMetrics metrics = new SwitchboardMetrics(); EmitApi api = start(metrics);
             RawConnection caller = new RawConnection("127.0.0.1", api.port(), ANSWER_WITHIN)) {
            assertThat(caller.exchange(RawConnection.request("GET", "/health", "127.0.0.1", "", null)).status())
                    .isEqualTo(200);
            RawConnection.Answer missing = caller.exchange(RawConnection.request("GET", "/nope", "127.0.0.1", "", null));
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.body()).contains("NOT_FOUND");
            RawConnection.Answer batch = caller.exchange(RawConnection.request("POST", "/emit/batch", "127.0.0.1",
                    "Content-Type: application/json\r\n", "[" + EMIT + "]"));
            assertThat(batch.status()).isEqualTo(200);
            assertThat(batch.body()).contains("UNKNOWN_NAMESPACE");
            RawConnection.Answer wrongMethod = caller.exchange(RawConnection.request("GET", "/emit", "127.0.0.1", "",
                    null));
            assertThat(wrongMethod.status()).isEqualTo(405);
            RawConnection.Answer foreign = caller.exchange(RawConnection.request("GET", "/health", "evil.example", "",
                    null));
            assertThat(foreign.status()).isEqualTo(403);
        }
    }
}
