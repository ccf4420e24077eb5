package dev.switchboard.app.memory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.switchboard.app.EchoNamespace;
import dev.switchboard.app.SwitchboardServer;
import dev.switchboard.app.config.SwitchboardConfig;

/**
 * The child JVM of {@link HeapTrimAfterBurstTest}: the real server (with an {@code /echo} namespace) under the
 * shipped JVM options, driven by lines on stdin. {@code inflate} grows the committed heap the way a storm does
 * (G1 expands it, and nothing gives it back until a marking cycle), deterministically: 192 MiB of large arrays,
 * dropped and reclaimed by a young collection, leave the heap committed with little in it.
 */
public final class HeapTrimChild {
    private HeapTrimChild() {
    }

    public static void main(String[] args) throws Exception {
        SwitchboardConfig config = SwitchboardConfig.fromEnvironment(System.getenv());
        try (SwitchboardServer server = SwitchboardServer.start(config, List.of(new EchoNamespace("/echo")))) {
            System.out.println("child ready wsPort=" + server.wsPort() + " apiPort=" + server.apiPort());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null && !line.equals("exit"); ) {
                if (line.equals("inflate")) {
                    inflate();
                    HeapTrim.Heap heap = HeapTrim.Heap.now();
                    System.out.println("child inflated committedMiB=" + (heap.committed() >> 20)
                            + " retainedMiB=" + (heap.retained() >> 20));
                }
            }
        }
    }

    private static void inflate() {
        holdThroughACycle(24);
        long collections = youngCollections();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (youngCollections() == collections && System.nanoTime() < deadline) {
            for (int i = 0; i < 10_000; i++) {
                sink = new byte[1024];
            }
        }
        sink = null;
    }

    /**
     * Holds {@code depth} arrays of 8 MiB (humongous) from the stack only, so nothing on the heap points at them and
     * the first young collection after they are dropped reclaims them. Their allocation may start a marking
     * cycle: it ends inside {@code System.gc()} (a whole concurrent cycle) while they are live, so no Remark gives
     * the heap back after they are gone.
     */
    private static void holdThroughACycle(int depth) {
        long[] chunk = new long[1 << 20];
        if (depth > 1) {
            holdThroughACycle(depth - 1);
        } else {
            System.gc();
        }
        touched = chunk[chunk.length - 1]; // live until here
    }

    private static long youngCollections() {
        long count = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc.getName().contains("Young")) {
                count += gc.getCollectionCount();
            }
        }
        return count;
    }

    private static volatile Object sink;
    private static volatile long touched;
}
