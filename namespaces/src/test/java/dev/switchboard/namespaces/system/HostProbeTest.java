package dev.switchboard.namespaces.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import oshi.SystemInfo;

/** Samples this machine with OSHI and checks the values are sane. */
class HostProbeTest {
    static SystemInfo systemInfo;

    @BeforeAll
    static void setUp() {
        systemInfo = new SystemInfo();
    }

    @Test
    @SuppressWarnings("unchecked")
    void fullSampleHasSaneValues() {
        HostProbe probe = new HostProbe(systemInfo, 10);
        probe.prime(Metric.ALL);
        burnCpuFor(300); // let the counters move so rates are measured over a real span
        Map<String, Object> sample = probe.sample(1000, Metric.ALL);

        assertThat(sample).containsKeys("timestamp", "interval", "cpu", "memory", "swap", "disks", "network", "load",
                "uptime", "processes");
        assertThat(sample.get("interval")).isEqualTo(1000L);
        Map<String, Object> cpu = (Map<String, Object>) sample.get("cpu");
        assertThat((double) cpu.get("total")).isBetween(0.0, 100.0);
        List<Double> cores = (List<Double>) cpu.get("cores");
        assertThat(cores).hasSize(systemInfo.getHardware().getProcessor().getLogicalProcessorCount())
                .allMatch(c -> c >= 0 && c <= 100);
        assertThat((double) cpu.get("total")).isPositive(); // we burned CPU in between

        Map<String, Long> memory = (Map<String, Long>) sample.get("memory");
        assertThat(memory.get("total")).isPositive();
        assertThat(memory.get("used")).isBetween(1L, memory.get("total"));
        assertThat(memory.get("used") + memory.get("available")).isEqualTo(memory.get("total"));

        Map<String, Long> swap = (Map<String, Long>) sample.get("swap");
        assertThat(swap.get("used")).isBetween(0L, Math.max(0, swap.get("total")));

        List<Map<String, Object>> disks = (List<Map<String, Object>>) sample.get("disks");
        assertThat(disks).isNotEmpty().allSatisfy(d -> {
            assertThat((String) d.get("mount")).startsWith("/");
            assertThat((long) d.get("used")).isBetween(0L, (long) d.get("total"));
        });

        List<Map<String, Object>> network = (List<Map<String, Object>>) sample.get("network");
        assertThat(network).allSatisfy(n -> {
            assertThat(n.get("iface")).isInstanceOf(String.class);
            assertThat((long) n.get("rxBytesPerSec")).isNotNegative();
            assertThat((long) n.get("txBytesPerSec")).isNotNegative();
        });

        assertThat((List<Double>) sample.get("load")).hasSize(3);
        assertThat((long) sample.get("uptime")).isPositive();

        List<Map<String, Object>> processes = (List<Map<String, Object>>) sample.get("processes");
        assertThat(processes).hasSizeBetween(1, 10).allSatisfy(p -> {
            assertThat((int) p.get("pid")).isPositive();
            assertThat((double) p.get("cpu")).isBetween(0.0, 100.0);
            assertThat((long) p.get("memory")).isNotNegative();
        });
        // sorted by CPU, busiest first; this JVM burned CPU so something is busy
        assertThat(processes).extracting(p -> (double) p.get("cpu")).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat((double) processes.get(0).get("cpu")).isPositive();
    }

    @Test
    void sampleHoldsOnlyTheAskedMetrics() {
        HostProbe probe = new HostProbe(systemInfo, 10);
        Map<String, Object> sample = probe.sample(500, EnumSet.of(Metric.MEMORY, Metric.UPTIME));
        assertThat(sample).containsOnlyKeys("timestamp", "interval", "memory", "uptime");
    }

    private static void burnCpuFor(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        long x = 0;
        while (System.nanoTime() < end) {
            x += Long.numberOfTrailingZeros(x + 1);
        }
        LockSupport.parkNanos(x == 42 ? 1 : 0); // keep the loop from being optimised away
    }
}
