package dev.switchboard.socketio;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: the per-socket queue that keeps one
 * client's events in order while a slow handler of one client holds only one pool thread. Yields the pool
 * thread after a batch so a flooding socket cannot starve the others.
 */
final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);
    private static final int BATCH = 64;

    private final Executor pool;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>(3); // one per socket: small until events queue up
    private boolean scheduled;

    SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            queue.add(task);
            if (scheduled) {
                return;
            }
            scheduled = true;
        }
        schedule();
    }

    private void schedule() {
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                log.debug("event=tasks_dropped reason=pool_shutdown count={}", queue.size());
                queue.clear();
                scheduled = false;
            }
        }
    }

    private void drain() {
        for (int n = 0; n < BATCH; n++) {
            Runnable task;
            synchronized (this) {
                task = queue.poll();
                if (task == null) {
                    scheduled = false;
                    return;
                }
            }
            try {
                task.run();
            } catch (Throwable t) {
                log.warn("event=task_failed error={}", t.toString(), t);
            }
        }
        schedule(); // more queued: go to the back of the pool's queue
    }

    synchronized int pending() {
        return queue.size();
    }
}
