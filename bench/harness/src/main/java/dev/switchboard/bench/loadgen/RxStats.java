package dev.switchboard.bench.loadgen;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import io.netty.util.concurrent.FastThreadLocal;

/** Receive statistics of one event-loop thread (single writer); read from the main thread. */
final class RxStats {
    /** Microseconds; up to 10 minutes. */
    static final long MAX_LATENCY_MICROS = 600_000_000L;
    static final List<RxStats> ALL = new CopyOnWriteArrayList<>();
    private static final FastThreadLocal<RxStats> CURRENT = new FastThreadLocal<>() {
        @Override
        protected RxStats initialValue() {
            RxStats stats = new RxStats();
            ALL.add(stats);
            return stats;
        }
    };

    final SingleWriterRecorder latency = new SingleWriterRecorder(MAX_LATENCY_MICROS, 3);
    /** Every bench event received. */
    final AtomicLong received = new AtomicLong();
    /** Bench events whose emit time lies in the measurement window. */
    final AtomicLong receivedInWindow = new AtomicLong();
    final AtomicLong outOfRange = new AtomicLong();

    static RxStats current() {
        return CURRENT.get();
    }

    void record(long emitNanos, long nowNanos, long windowStart, long windowEnd) {
        received.lazySet(received.get() + 1);
        if (emitNanos >= windowStart && emitNanos <= windowEnd) {
            receivedInWindow.lazySet(receivedInWindow.get() + 1);
            long micros = (nowNanos - emitNanos) / 1000;
            if (micros < 0 || micros > MAX_LATENCY_MICROS) {
                outOfRange.lazySet(outOfRange.get() + 1);
            } else {
                latency.recordValue(micros);
            }
        }
    }

    static long totalReceived() {
        long sum = 0;
        for (RxStats s : ALL) {
            sum += s.received.get();
        }
        return sum;
    }

    static long totalInWindow() {
        long sum = 0;
        for (RxStats s : ALL) {
            sum += s.receivedInWindow.get();
        }
        return sum;
    }

    /** Takes (and resets) every thread's latency histogram, merged. */
    static Histogram takeLatency() {
        Histogram merged = new Histogram(MAX_LATENCY_MICROS, 3);
        for (RxStats s : ALL) {
            merged.add(s.latency.getIntervalHistogram());
        }
        return merged;
    }
}
