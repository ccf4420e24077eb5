package dev.switchboard.socketio;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The handler threads (never Netty I/O threads) and one timer thread for connect and ack timeouts. */
final class WorkerPool implements Executor {
    private final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor timer;

    WorkerPool(int threads) {
        workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemonThreads("sio-worker-"));
        timer = new ScheduledThreadPoolExecutor(1, daemonThreads("sio-timer-"));
        timer.setRemoveOnCancelPolicy(true);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void execute(Runnable task) {
        workers.execute(task);
    }

    SerialExecutor newSerialQueue() {
        return new SerialExecutor(workers);
    }

    /** Runs {@code task} on the timer thread after {@code delay}; the task must be quick (hand real work off). */
    ScheduledFuture<?> schedule(Duration delay, Runnable task) {
        return timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Stops taking tasks, lets queued ones finish for up to {@code grace}, then interrupts what is left. */
    void shutdown(Duration grace) {
        timer.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(Math.max(0, grace.toMillis()), TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
