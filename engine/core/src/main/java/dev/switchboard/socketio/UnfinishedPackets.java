package dev.switchboard.socketio;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.switchboard.engineio.HeldBackLog;

/**
 * Binary packets whose header arrived and whose attachments have not all: what every connection of a server holds
 * for them together, and how long one may wait. Each connection is already held to maxPayload, but an anonymous
 * client holds that in each of its sessions (1000 per address) for as long as it answers pings: ~1 GB per address
 * on a 512 MiB heap. So the attachments must arrive within {@link #timeout()} of their header, and the heap all
 * unfinished packets hold together stays within {@link #budget()}; a connection past either is closed as a parse
 * error.
 */
final class UnfinishedPackets {
    /**
     * How long the attachments of a packet may take after its header. socket.io-client sends them right behind it
     * (one polling body, or back-to-back WebSocket frames): a minute lets 1 MB through a 20 KB/s link.
     */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final long budget;
    private final Duration timeout;
    private final AtomicLong held = new AtomicLong();
    private final HeldBackLog refusals = new HeldBackLog();

    /** An eighth of the largest heap the JVM may use (64 MiB with the shipped -Xmx512m), and a minute. */
    static UnfinishedPackets defaults() {
        return new UnfinishedPackets(Runtime.getRuntime().maxMemory() / 8, DEFAULT_TIMEOUT);
    }

    UnfinishedPackets(long budget, Duration timeout) {
        if (budget < 1 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("unfinished packet bounds must be positive");
        }
        this.budget = budget;
        this.timeout = timeout;
    }

    /** Takes {@code bytes} more from the budget (negative gives back); false, and nothing taken, past it. */
    boolean charge(long bytes) {
        while (true) {
            long now = held.get();
            long next = now + bytes;
            if (bytes > 0 && next > budget) {
                return false;
            }
            if (held.compareAndSet(now, next)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        if (bytes != 0) {
            held.addAndGet(-bytes);
        }
    }

    /** What every unfinished packet of the server holds now, as charged. */
    long held() {
        return held.get();
    }

    long budget() {
        return budget;
    }

    Duration timeout() {
        return timeout;
    }

    /** Refusals at the budget are logged at most once a second: how many were not, else -1 (hold this one back). */
    long passLog() {
        return refusals.pass();
    }
}
