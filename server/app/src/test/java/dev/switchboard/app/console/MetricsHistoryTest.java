package dev.switchboard.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The console's history: per-second rates from the server's counters, states from its gauges, bounded. */
class MetricsHistoryTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final AtomicInteger ws = new AtomicInteger(3);
    private final MetricsHistory history = new MetricsHistory(registry, ws::get, clock::get, 5);

    @Test
    void samplesRatesPerNamespaceRefusalsByKindCutsAndBackendStates() {
        Counter in = Counter.builder("switchboard.events.in").tag("namespace", "/mcp").register(registry);
        Counter out = Counter.builder("switchboard.events.out").tag("namespace", "/mcp").register(registry);
        AtomicInteger connections = new AtomicInteger(7);
        Gauge.builder("switchboard.connections", connections, AtomicInteger::get).tag("namespace", "/mcp").register(registry);
        Gauge.builder("switchboard.backend.up", () -> 1).tag("backend", "docker").register(registry);
        Gauge.builder("switchboard.backend.up", () -> 0).tag("backend", "redis").register(registry);
        AtomicLong cuts = new AtomicLong();
        FunctionCounter.builder("switchboard.slow.consumer.disconnects", cuts, AtomicLong::get).register(registry);
        in.increment(100);
        history.sample(); // baseline

        clock.addAndGet(2000);
        in.increment(10);
        out.increment(40);
        cuts.addAndGet(2);
        Counter.builder("switchboard.refusals").tag("reason", "engine_session_limit").register(registry).increment(4);
        Counter.builder("switchboard.refusals").tag("reason", "auth").register(registry).increment(2);
        Counter.builder("switchboard.refusals").tag("reason", "rate_limited").register(registry).increment(6);
        history.sample();

        List<MetricsHistory.Sample> samples = history.since(0);
        assertThat(samples).hasSize(2);
        assertThat(samples.get(0).eventsIn().get("/mcp")).isZero();
        MetricsHistory.Sample last = samples.get(1);
        assertThat(last.t()).isEqualTo(1_002_000);
        assertThat(last.eventsIn()).containsEntry("/mcp", 5.0);
        assertThat(last.eventsOut()).containsEntry("/mcp", 20.0);
        assertThat(last.connections()).containsEntry("/mcp", 7);
        assertThat(last.refusals()).containsEntry("admission", 2.0).containsEntry("auth", 1.0)
                .containsEntry("rate", 3.0).containsEntry("other", 0.0);
        assertThat(last.cuts()).isEqualTo(2);
        assertThat(last.backends()).containsEntry("docker", 1).containsEntry("redis", 0);
        assertThat(last.ws()).isEqualTo(3);
        assertThat(history.since(1_000_000)).containsExactly(last);
    }

    @Test
    void keepsTheNewestSamplesUpToItsCapacity() {
        for (int i = 0; i < 12; i++) {
            clock.addAndGet(1000);
            history.sample();
        }
        List<MetricsHistory.Sample> kept = history.since(0);
        assertThat(kept).hasSize(5);
        assertThat(kept.get(4).t()).isEqualTo(clock.get());
        assertThat(new MetricsHistory(registry, ws::get).capacity()).isEqualTo(MetricsHistory.CAPACITY);
    }

    @Test
    void refusalReasonsFallIntoFourKinds() {
        assertThat(MetricsHistory.refusalKind("engine_tcp_limit")).isEqualTo("admission");
        assertThat(MetricsHistory.refusalKind("ip_limit")).isEqualTo("admission");
        assertThat(MetricsHistory.refusalKind("auth")).isEqualTo("auth");
        assertThat(MetricsHistory.refusalKind("console_login")).isEqualTo("auth");
        assertThat(MetricsHistory.refusalKind("rate_limited")).isEqualTo("rate");
        assertThat(MetricsHistory.refusalKind("api_body_too_large")).isEqualTo("other");
    }
}
