package dev.switchboard.app.memory;

/**
 * Notices the end of a connection storm from the running total of sessions opened, read once per tick: a window of
 * {@code ticksPerWindow} ticks is busy when more than {@code quietConnections} sessions opened in it; the first busy
 * window and every tick after it add up to a storm, and the first quiet window ends it. A storm of at least
 * {@code minConnections} is reported once, when it ends; a trickle that never makes a window busy is never a storm,
 * and neither is steady traffic until it stops.
 */
final class ConnectBurst {
    private final long minConnections;
    private final long quietConnections;
    private final long[] window;
    private int next;
    private long windowSum;
    private long lastTotal;
    private long storm;

    ConnectBurst(long minConnections, long quietConnections, int ticksPerWindow, long startTotal) {
        this.minConnections = minConnections;
        this.quietConnections = quietConnections;
        this.window = new long[ticksPerWindow];
        this.lastTotal = startTotal;
    }

    /** One tick with the total of sessions opened so far; the size of the storm that just ended, else 0. */
    long tick(long total) {
        long opened = total - lastTotal;
        lastTotal = total;
        windowSum += opened - window[next];
        window[next] = opened;
        next = (next + 1) % window.length;
        if (windowSum > quietConnections) {
            storm += storm == 0 ? windowSum : opened; // a storm starts with the whole window that made it busy
            return 0;
        }
        long ended = storm >= minConnections ? storm : 0;
        storm = 0;
        return ended;
    }
}
