package dev.switchboard.app.abuse;

import java.io.File;
import java.lang.management.ManagementFactory;

/**
 * Heap after a full collection, open file descriptors and live threads of this JVM (the server runs in it). Threads
 * of the fixed-size handler pool are not counted: it starts them on demand up to its size and keeps them, so its
 * count says how busy the server once was, not what it holds now.
 */
record ProcessFootprint(long heapBytes, int openFiles, int threads) {
    static final String FIXED_POOL_PREFIX = "sio-worker-";

    static ProcessFootprint measure() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        String[] fds = new File("/proc/self/fd").list();
        int threads = (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !t.getName().startsWith(FIXED_POOL_PREFIX)).count();
        return new ProcessFootprint(heap, fds == null ? -1 : fds.length, threads);
    }

    /** True when this footprint is no more than the margins above {@code baseline}. */
    boolean within(ProcessFootprint baseline, long heapMargin, int filesMargin, int threadsMargin) {
        return heapBytes <= baseline.heapBytes + heapMargin
                && openFiles <= baseline.openFiles + filesMargin
                && threads <= baseline.threads + threadsMargin;
    }

    @Override
    public String toString() {
        return "heap=" + (heapBytes >> 20) + " MiB, fds=" + openFiles + ", threads=" + threads + " " + threadGroups();
    }

    /** Live threads by name with digits folded ("engineio-io-#-#": 4), to tell which pool grew. */
    static java.util.Map<String, Long> threadGroups() {
        return Thread.getAllStackTraces().keySet().stream()
                .collect(java.util.stream.Collectors.groupingBy(t -> t.getName().replaceAll("[0-9]+", "#"),
                        java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }
}
