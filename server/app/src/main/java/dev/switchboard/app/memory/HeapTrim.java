package dev.switchboard.app.memory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.OperatingSystemMXBean;

import dev.switchboard.app.config.HeapTrimSettings;

/**
 * Gives the heap back after a connection storm, as the server would after a long idle spell. A fast burst of
 * connects makes G1 grow the heap (its pauses take more than its share of the time); the free ratios give that
 * back only at the end of a marking cycle, and an idle server starts none for {@code G1PeriodicGCInterval}. When a
 * storm of at least HEAP_TRIM_BURST_CONNECTIONS sessions is followed by a quiet second and the committed heap is
 * well above what G1 would keep for the data that survived the last collection, this asks for ONE concurrent cycle
 * ({@code System.gc()} under {@code -XX:+ExplicitGCInvokesConcurrent}: a young pause, concurrent marking, and a
 * Remark that shrinks the heap to {@code MaxHeapFreeRatio}), at most once per {@link HeapTrimSettings#minInterval}.
 * Never a stop-the-world full collection: on a JVM without G1 and that flag it does nothing and says so once.
 */
public final class HeapTrim implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HeapTrim.class);
    private static final int TICKS_PER_WINDOW = 4;
    /** A trim must give back at least this much, and a tenth of the committed heap, to be worth a cycle. */
    private static final long MIN_GAIN_BYTES = 16L << 20;
    private static final long MIB = 1L << 20;

    private final HeapTrimSettings settings;
    private final IntSupplier connections;
    private final LongAdder opened = new LongAdder();
    private final AtomicLong trims = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean();
    private final ConnectBurst bursts;
    private ExecutorService collector; // System.gc() blocks its caller until the cycle has ended
    private long lastTrimNanos;
    private boolean trimmedOnce;

    public HeapTrim(HeapTrimSettings settings, IntSupplier connections) {
        this.settings = settings;
        this.connections = connections;
        this.bursts = new ConnectBurst(settings.burstConnections(), settings.quietConnections(), TICKS_PER_WINDOW, 0);
    }

    /** A socket was admitted to a namespace (called on the engine's thread: one increment). */
    public void connected() {
        opened.increment();
    }

    /** Trims requested since start. */
    public long trims() {
        return trims.get();
    }

    /** Starts watching for storms, unless turned off or this JVM cannot trim without a full collection. */
    public void start(ScheduledExecutorService scheduler) {
        if (!settings.enabled()) {
            return;
        }
        String missing = missingJvmSupport();
        if (missing != null) {
            log.info("heap trim off reason={}", missing);
            return;
        }
        collector = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sb-heap-trim");
            thread.setDaemon(true);
            return thread;
        });
        long tickMillis = settings.quiet().toMillis() / TICKS_PER_WINDOW;
        scheduler.scheduleWithFixedDelay(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        long storm = bursts.tick(opened.sum());
        if (storm == 0) {
            return;
        }
        long now = System.nanoTime();
        if (trimmedOnce && now - lastTrimNanos < settings.minInterval().toNanos()) {
            log.info("heap trim skipped reason=rate_limited connects={} nextInMs={}", storm,
                    Duration.ofNanos(settings.minInterval().toNanos() - (now - lastTrimNanos)).toMillis());
            return;
        }
        Heap heap = Heap.now();
        if (!heap.worthTrimming()) {
            log.info("heap trim skipped reason=little_to_give_back connects={} committedMiB={} retainedMiB={}",
                    storm, heap.committed() / MIB, heap.retained() / MIB);
            return;
        }
        if (!running.compareAndSet(false, true)) {
            return;
        }
        trimmedOnce = true;
        lastTrimNanos = now;
        collector.execute(() -> trim(storm, heap));
    }

    private void trim(long storm, Heap before) {
        try {
            long cpuBefore = processCpuNanos();
            long started = System.nanoTime();
            System.gc(); // a concurrent cycle (checked at start); returns once its Remark has resized the heap
            long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
            long cpuMs = Duration.ofNanos(processCpuNanos() - cpuBefore).toMillis();
            trims.incrementAndGet();
            log.info("heap trimmed committedBeforeMiB={} committedAfterMiB={} usedBeforeMiB={} retainedMiB={} "
                            + "connections={} connects={} tookMs={} cpuMs={}",
                    before.committed() / MIB, Heap.now().committed() / MIB, before.used() / MIB,
                    before.retained() / MIB, connections.getAsInt(), storm, tookMs, cpuMs);
        } finally {
            running.set(false);
        }
    }

    @Override
    public void close() {
        if (collector != null) {
            collector.shutdownNow();
        }
    }

    /** Why {@code System.gc()} would not be a concurrent G1 cycle here, or null. */
    static String missingJvmSupport() {
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        if (hotspot == null) {
            return "not_hotspot";
        }
        if (!flag(hotspot, "UseG1GC")) {
            return "not_g1";
        }
        if (flag(hotspot, "DisableExplicitGC")) {
            return "explicit_gc_disabled";
        }
        if (!flag(hotspot, "ExplicitGCInvokesConcurrent")) {
            return "explicit_gc_not_concurrent"; // System.gc() would be a stop-the-world full collection
        }
        return null;
    }

    private static boolean flag(HotSpotDiagnosticMXBean hotspot, String name) {
        try {
            return Boolean.parseBoolean(hotspot.getVMOption(name).getValue());
        } catch (IllegalArgumentException e) { // no such option on this JVM
            return false;
        }
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    /**
     * The heap now: {@code retained} is what the last collection left outside eden (old and survivor regions), the
     * best cheap estimate of what a cycle keeps; G1 then sizes the heap so that MaxHeapFreeRatio of it is free.
     */
    record Heap(long committed, long used, long retained, long initial, int maxFreePercent) {
        static Heap now() {
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            long eden = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && pool.getName().contains("Eden")) {
                    eden += pool.getUsage().getUsed();
                }
            }
            return new Heap(heap.getCommitted(), heap.getUsed(), Math.max(0, heap.getUsed() - eden),
                    Math.max(0, heap.getInit()), maxHeapFreeRatio());
        }

        boolean worthTrimming() {
            long kept = Math.max(initial, retained * 100 / Math.max(1, 100 - maxFreePercent));
            return committed - kept >= Math.max(MIN_GAIN_BYTES, committed / 10);
        }

        private static int maxHeapFreeRatio() {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            try {
                return hotspot == null ? 70 : Integer.parseInt(hotspot.getVMOption("MaxHeapFreeRatio").getValue());
            } catch (IllegalArgumentException e) {
                return 70; // HotSpot's default
            }
        }
    }
}
