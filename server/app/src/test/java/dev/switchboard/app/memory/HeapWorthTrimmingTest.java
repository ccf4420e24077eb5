package dev.switchboard.app.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Figures from bench/results/logs (19,900 idle connections, shipped options: -Xms64m, MaxHeapFreeRatio=20). */
class HeapWorthTrimmingTest {
    private static final long MIB = 1L << 20;

    private static boolean worth(long committedMib, long retainedMib) {
        return new HeapTrim.Heap(committedMib * MIB, 0, retainedMib * MIB, 64 * MIB, 20).worthTrimming();
    }

    @Test
    void aHeapGrownByTheStormIsWorthACycle() {
        assertThat(worth(212, 82)).isTrue();
        assertThat(worth(133, 87)).isTrue(); // gave ~15 MiB back: 0.75 KiB per connection
    }

    @Test
    void aHeapAlreadySizedToWhatSurvivedIsNot() {
        assertThat(worth(119, 90)).isFalse(); // what a trim leaves
        assertThat(worth(64, 15)).isFalse(); // at -Xms
    }
}
