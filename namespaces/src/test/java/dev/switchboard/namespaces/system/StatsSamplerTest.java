package dev.switchboard.namespaces.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import oshi.SystemInfo;

import dev.switchboard.namespaces.core.StreamSink;

class StatsSamplerTest {
    private final ScheduledThreadPoolExecutor executor = (ScheduledThreadPoolExecutor) Executors.newScheduledThreadPool(1);

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
    }

    /** Records volatile stats emits with their arrival time. */
    static final class Samples implements StreamSink {
        final List<Map<String, Object>> samples = new ArrayList<>();
        final List<Long> arrivals = new ArrayList<>();

        @Override
        public synchronized void emit(String event, Object payload) {
            throw new AssertionError("stats must be emitted as volatile, got a plain emit of " + event);
        }

        @Override
        @SuppressWarnings("unchecked")
        public synchronized void emitVolatile(String event, Object payload) {
            assertThat(event).isEqualTo("stats");
            samples.add((Map<String, Object>) payload);
            arrivals.add(System.nanoTime());
            notifyAll();
        }

        @Override
        public void closed(Object payload) {
            throw new AssertionError("a sampler never ends by itself");
        }

        synchronized void await(int count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (samples.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("only " + samples.size() + " of " + count + " samples in " + timeout);
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    @Test
    void samplesAtItsIntervalAndStopsWhenClosed() throws InterruptedException {
        Samples sink = new Samples();
        Set<Metric> demand = EnumSet.of(Metric.CPU, Metric.MEMORY);
        StatsSampler sampler = new StatsSampler(500, new HostProbe(new SystemInfo(), 10), () -> demand, sink, 30)
                .start(executor);

        sink.await(4, Duration.ofSeconds(10));
        sampler.close();

        synchronized (sink) {
            assertThat(sink.samples).allSatisfy(s -> assertThat(s).containsOnlyKeys("timestamp", "interval", "cpu", "memory"));
            // fixed-rate: one late tick is followed by an early one, so the mean gap is the interval
            long meanGapMs = (sink.arrivals.get(3) - sink.arrivals.get(0)) / 3 / 1_000_000;
            assertThat(meanGapMs).as("mean gap between samples").isBetween(350L, 900L);
        }
        assertThat(sampler.isRunning()).isFalse();
        executor.purge();
        assertThat(executor.getQueue()).as("no sampling task left scheduled").isEmpty();
    }

    @Test
    void samplesNothingWhileNobodyAsks() throws InterruptedException {
        Samples sink = new Samples();
        Set<Metric> demand = EnumSet.noneOf(Metric.class);
        StatsSampler sampler = new StatsSampler(500, new HostProbe(new SystemInfo(), 10), () -> demand, sink, 30);
        sampler.tick();
        assertThat(sampler.samplesTaken()).isZero();
        demand.add(Metric.UPTIME);
        sampler.tick();
        assertThat(sampler.samplesTaken()).isEqualTo(1);
        assertThat(sink.samples.get(0)).containsOnlyKeys("timestamp", "interval", "uptime");
    }
}
