package dev.switchboard.emitapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/** The start-up warm-up of POST /emit: it runs the real path, stops at its bounds and touches nothing live. */
class EmitWarmUpTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void runsThePostEmitPathUntilItsRequestCount() {
        EmitWarmUp.Result result = new EmitWarmUp(300, Duration.ofSeconds(30)).run();

        assertThat(result.requests()).isEqualTo(300);
        assertThat(result.answered()).as("every request answered 200 by the emit path").isEqualTo(300);
    }

    @Test
    void stopsAtItsTimeBudget() {
        EmitWarmUp.Result result = new EmitWarmUp(Integer.MAX_VALUE, Duration.ofMillis(1_500)).run();

        assertThat(result.requests()).isPositive().isLessThan(Integer.MAX_VALUE);
        assertThat(result.answered()).isEqualTo(result.requests());
        // the budget counts from the start (setting up the in-memory connector included); stopping it adds a little
        assertThat(result.elapsedMillis()).isLessThan(1_500 + 1_000);
    }

    @Test
    void aLiveServerWithTheSameNamespaceAndItsMetricsSeeNothing() {
        SocketIoServer io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build())
                .build();
        io.of(EmitWarmUp.NAMESPACE);
        io.start();
        ServerView view = new NamespacesView(io::namespaces);
        try (SwitchboardMetrics metrics = new SwitchboardMetrics();
             EmitApi api = new EmitApi(new EmitApiOptions("127.0.0.1", 0, null, 1_048_576, 10), view, metrics,
                     new HealthReport(view, metrics, "test")).start();
             NodeClientDriver driver = NodeClientDriver.start()) {
            NodeSocket socket = driver.connect("http://127.0.0.1:" + io.port(), EmitWarmUp.NAMESPACE);
            socket.awaitConnect(WAIT);
            String emitsBefore = emitCount(metrics);

            assertThat(new EmitWarmUp(500, Duration.ofSeconds(30)).run().answered()).isEqualTo(500);

            // events reach one socket in order: once the marker sent after the warm-up is there, a warm-up event
            // would be there too
            ApiClient client = new ApiClient(api.port(), null);
            assertThat(client.post("/emit", "{\"namespace\":\"" + EmitWarmUp.NAMESPACE
                    + "\",\"event\":\"marker\"}").status()).isEqualTo(200);
            socket.awaitEvent("marker", WAIT);
            assertThat(socket.events("warm-up")).isEmpty();
            assertThat(emitCount(metrics)).as("the live metrics count the marker only, not the warm-up")
                    .isNotEqualTo(emitsBefore).contains(" 1.0");
        } finally {
            io.close(Duration.ofSeconds(1));
        }
    }

    /** The live registry's emit counter lines for the warm-up's namespace. */
    private static String emitCount(SwitchboardMetrics metrics) {
        return metrics.scrape().lines()
                .filter(line -> line.startsWith("switchboard_emits_total") && line.contains(EmitWarmUp.NAMESPACE))
                .reduce("", (a, b) -> a + b + "\n");
    }
}
