package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class SerialExecutorTest {

    @Test
    void runsTasksInOrderOneAtATime() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            SerialExecutor serial = new SerialExecutor(pool);
            List<Integer> seen = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            int[] concurrent = {0};
            int[] maxConcurrent = {0};
            for (int i = 0; i < 1000; i++) {
                int n = i;
                serial.execute(() -> {
                    synchronized (concurrent) {
                        maxConcurrent[0] = Math.max(maxConcurrent[0], ++concurrent[0]);
                    }
                    seen.add(n);
                    synchronized (concurrent) {
                        concurrent[0]--;
                    }
                    if (n == 999) {
                        done.countDown();
                    }
                });
            }
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(seen).hasSize(1000).isSorted();
            assertThat(maxConcurrent[0]).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFloodingQueueYieldsThePoolThreadToOthers() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            SerialExecutor flooding = new SerialExecutor(pool);
            SerialExecutor quiet = new SerialExecutor(pool);
            List<String> order = new CopyOnWriteArrayList<>();
            CountDownLatch firstRunning = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch quietDone = new CountDownLatch(1);
            flooding.execute(() -> {
                firstRunning.countDown();
                await(release);
            });
            for (int i = 0; i < 1000; i++) {
                int n = i;
                flooding.execute(() -> order.add("flood-" + n));
            }
            assertThat(firstRunning.await(5, TimeUnit.SECONDS)).isTrue();
            quiet.execute(() -> {
                order.add("quiet");
                quietDone.countDown();
            });
            release.countDown();
            assertThat(quietDone.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(order.indexOf("quiet")).isBetween(1, 200);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailingTaskDoesNotStopTheQueue() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            SerialExecutor serial = new SerialExecutor(pool);
            CountDownLatch after = new CountDownLatch(1);
            serial.execute(() -> {
                throw new IllegalStateException("task bug");
            });
            serial.execute(after::countDown);
            assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
