package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import dev.switchboard.testkit.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ArrivalOrderTest {
    private final EventLoop loop = new DefaultEventLoop();
    private final ArrivalOrder arrivals = new ArrivalOrder(loop, "sid");
    private final List<Integer> ran = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void taskHandedOverFromAnotherThreadRunsBeforeALaterOneHandedOverOnTheLoop() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(() -> {
            Thread other = new Thread(() -> arrivals.submit(() -> ran.add(1)));
            other.start();
            try {
                other.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            arrivals.submit(() -> ran.add(2));
            done.countDown();
        });
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly(1, 2);
    }

    @Test
    void taskHandedOverByARunningTaskRunsAfterIt() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(() -> arrivals.submit(() -> {
            arrivals.submit(() -> {
                ran.add(2);
                done.countDown();
            });
            ran.add(1);
        }));
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly(1, 2);
    }

    @Test
    void aFloodRunsInTurnsInOrderAndAFailingTaskStopsNothing() throws Exception {
        int count = 3 * ArrivalOrder.MAX_TASKS_PER_DRAIN + 7;
        CountDownLatch done = new CountDownLatch(1);
        CountDownLatch hold = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                hold.await(5, TimeUnit.SECONDS); // everything below queues up while the loop is busy
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        arrivals.submit(() -> {
            throw new IllegalStateException("boom");
        });
        for (int i = 0; i < count; i++) {
            int n = i;
            arrivals.submit(() -> {
                ran.add(n);
                if (n == count - 1) done.countDown();
            });
        }
        hold.countDown();
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactlyElementsOf(IntStream.range(0, count).boxed().toList());
    }

    @Test
    void packetsWaitingForABusyLoopAreBoundedInCountAndBytesAndALonePacketAlwaysFits() throws Exception {
        ArrivalOrder bounded = new ArrivalOrder(loop, "sid", 100, 1_000);
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        loop.execute(() -> {
            held.countDown();
            try {
                hold.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(bounded.submitPacket(() -> ran.add(-1), 5_000)).as("a lone packet over the byte bound").isTrue();
        hold.countDown();
        Await.until(() -> ran.contains(-1) && bounded.queuedPackets() == 0, java.time.Duration.ofSeconds(5), "drained");

        CountDownLatch hold2 = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                hold2.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        int taken = 0;
        for (int i = 0; i < 10_000; i++) if (bounded.submitPacket(() -> ran.add(1), 1)) taken++;
        assertThat(taken).as("one-byte packets taken while the loop is busy").isEqualTo(100);
        assertThat(bounded.queuedPackets()).isEqualTo(100);
        int big = 0;
        hold2.countDown();
        Await.until(() -> bounded.queuedPackets() == 0, java.time.Duration.ofSeconds(5), "drained");
        assertThat(bounded.queuedBytes()).isZero();

        CountDownLatch hold3 = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                hold3.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < 50; i++) if (bounded.submitPacket(() -> { }, 300)) big++;
        assertThat(big).as("300-byte packets under a 1,000-byte bound").isEqualTo(3);
        assertThat(bounded.queuedBytes()).isEqualTo(900);
        hold3.countDown();
    }
}
