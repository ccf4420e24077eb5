package dev.switchboard.engineio;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.HotSpotDiagnosticMXBean;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * What the JVM has left of the memory outbound messages live in, read cheaply from any thread: direct memory (the
 * JDK's count, where shared frames live, and Netty's own when it keeps one) now, and the heap as the last
 * collection left it (a heap reading between collections counts garbage). One per JVM.
 */
final class JvmMemory {
    static final JvmMemory INSTANCE = new JvmMemory();

    /** Used and limit of one kind of memory, in bytes. */
    record Use(String kind, long used, long limit) {
        /** Bytes over {@code percent} of the limit, 0 when under. */
        long over(int percent) {
            return limit > 0 ? Math.max(0, used - limit / 100 * percent) : 0;
        }

        @Override
        public String toString() {
            return kind + "Used=" + used + " " + kind + "Limit=" + limit;
        }
    }

    private final BufferPoolMXBean jdkDirect;
    private final long jdkDirectLimit;
    private final long nettyDirectLimit;
    private final long heapLimit;
    private final Set<String> heapPools;
    private final boolean collectsConcurrently;
    private final AtomicLong collections = new AtomicLong();
    private final List<Runnable> afterCollection = new CopyOnWriteArrayList<>();
    private volatile long heapAfterCollection;

    private JvmMemory() {
        jdkDirect = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).findFirst().orElse(null);
        jdkDirectLimit = maxDirectMemory();
        collectsConcurrently = "true".equals(vmOption("ExplicitGCInvokesConcurrent"))
                && !"true".equals(vmOption("DisableExplicitGC"));
        nettyDirectLimit = PlatformDependent.usedDirectMemory() >= 0 ? PlatformDependent.maxDirectMemory() : 0;
        heapLimit = Runtime.getRuntime().maxMemory();
        heapPools = ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP)
                .map(MemoryPoolMXBean::getName).collect(Collectors.toUnmodifiableSet());
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> afterCollection(notification.getUserData()),
                        notification -> notification.getType().equals(
                                GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION), null);
            }
        }
    }

    /**
     * Whether {@code System.gc()} runs a concurrent cycle (the shipped {@code -XX:+ExplicitGCInvokesConcurrent});
     * without it, it is a full collection that stops every thread.
     */
    boolean collectsConcurrently() {
        return collectsConcurrently;
    }

    /** Collections seen so far. */
    long collections() {
        return collections.get();
    }

    /** Runs {@code listener} after every collection (on the JVM's notification thread: keep it short). */
    void onCollection(Runnable listener) {
        afterCollection.add(listener);
    }

    void removeOnCollection(Runnable listener) {
        afterCollection.remove(listener);
    }

    /** Bytes of each kind at {@code percent} of its limit (Long.MAX_VALUE for a kind without one). */
    record Thresholds(long jdkDirect, long nettyDirect, long heap) {
    }

    Thresholds thresholds(int percent) {
        return new Thresholds(at(jdkDirect == null ? 0 : jdkDirectLimit, percent), at(nettyDirectLimit, percent),
                at(heapLimit, percent));
    }

    private static long at(long limit, int percent) {
        return limit > 0 ? limit / 100 * percent : Long.MAX_VALUE;
    }

    /** Whether any kind is above its threshold. Cheap: three counter reads, nothing allocated. */
    boolean above(Thresholds t) {
        return (jdkDirect != null && jdkDirect.getMemoryUsed() > t.jdkDirect)
                || (nettyDirectLimit > 0 && PlatformDependent.usedDirectMemory() > t.nettyDirect)
                || heapAfterCollection > t.heap;
    }

    /** The kinds, for the one that is furthest over and for logs. */
    List<Use> uses() {
        return List.of(jdkDirect(), nettyDirect(), heap());
    }

    private Use jdkDirect() {
        return new Use("direct", jdkDirect == null ? 0 : jdkDirect.getMemoryUsed(), jdkDirectLimit);
    }

    private Use nettyDirect() {
        return new Use("nettyDirect", nettyDirectLimit > 0 ? PlatformDependent.usedDirectMemory() : 0, nettyDirectLimit);
    }

    private Use heap() {
        return new Use("heapAfterGc", heapAfterCollection, heapLimit);
    }

    private void afterCollection(Object userData) {
        Map<String, MemoryUsage> after = GarbageCollectionNotificationInfo.from((CompositeData) userData).getGcInfo()
                .getMemoryUsageAfterGc();
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : after.entrySet()) {
            if (heapPools.contains(pool.getKey())) used += pool.getValue().getUsed();
        }
        heapAfterCollection = used;
        collections.incrementAndGet();
        for (Runnable listener : afterCollection) listener.run();
    }

    /** -XX:MaxDirectMemorySize, whose default (0) is the maximum heap size. */
    private static long maxDirectMemory() {
        try {
            long configured = Long.parseLong(vmOption("MaxDirectMemorySize"));
            return configured > 0 ? configured : Runtime.getRuntime().maxMemory();
        } catch (RuntimeException e) {
            return Runtime.getRuntime().maxMemory();
        }
    }

    /** A HotSpot option's value, null where there is none. */
    private static String vmOption(String name) {
        try {
            return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name).getValue();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
