package dev.switchboard.namespaces.core;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A namespace's own scheduled pool for blocking backend calls, so they never run on the server's shared
 * scheduler. Daemon threads named {@code <name>-1, <name>-2...}; after shutdown late tasks are dropped (not
 * rejected), and cancelled timers leave the queue at once.
 */
public final class BlockingPool {
    private BlockingPool() {
    }

    public static ScheduledExecutorService create(String name, int threads) {
        AtomicInteger count = new AtomicInteger();
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(threads, runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.DiscardPolicy());
        pool.setRemoveOnCancelPolicy(true);
        return pool;
    }
}
