package dev.switchboard.app.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectBurstTest {
    private final ConnectBurst burst = new ConnectBurst(1000, 50, 4, 0);
    private long total;

    private long tick(long opened) {
        total += opened;
        return burst.tick(total);
    }

    @Test
    void aStormIsReportedOnceWhenAQuietWindowFollowsIt() {
        for (int i = 0; i < 8; i++) {
            assertThat(tick(500)).isZero();
        }
        assertThat(tick(0)).isZero(); // the window still holds the storm's last ticks
        assertThat(tick(0)).isZero();
        assertThat(tick(0)).isZero();
        assertThat(tick(0)).isEqualTo(4000);
        assertThat(tick(0)).isZero();
    }

    @Test
    void aStormCountsTheWindowThatStartedIt() {
        assertThat(tick(20)).isZero();
        assertThat(tick(20)).isZero(); // 40: still quiet
        assertThat(tick(20)).isZero(); // 60: busy, the storm holds all 60
        assertThat(tick(940)).isZero();
        for (int i = 0; i < 3; i++) {
            assertThat(tick(0)).isZero();
        }
        assertThat(tick(0)).isEqualTo(1000);
    }

    @Test
    void aTrickleNeverAddsUpToAStorm() {
        for (int i = 0; i < 1000; i++) { // 48 a window: quiet, 48,000 in all
            assertThat(tick(12)).isZero();
        }
    }

    @Test
    void steadyTrafficIsNoStormWhileItLastsAndAStormSmallerThanTheMinimumIsNeverReported() {
        for (int i = 0; i < 100; i++) {
            assertThat(tick(100)).isZero();
        }
        for (int i = 0; i < 4; i++) {
            tick(0);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(tick(300)).isZero(); // 900 < 1000
        }
        for (int i = 0; i < 8; i++) {
            assertThat(tick(0)).isZero();
        }
    }
}
