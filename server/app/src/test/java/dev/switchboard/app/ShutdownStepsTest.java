package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

class ShutdownStepsTest {
    private final CountDownLatch never = new CountDownLatch(1);

    @Test
    void aStuckStepIsLeftBehindAndTheNextStepsStillRun() {
        ShutdownSteps steps = new ShutdownSteps(Duration.ofMillis(300));
        List<String> ran = new ArrayList<>();
        steps.run("first", () -> ran.add("first"));
        steps.run("stuck", this::awaitNever);
        steps.run("after", () -> ran.add("after"));
        steps.run("failing", () -> {
            throw new IllegalStateException("boom");
        });
        assertThat(ran).containsExactly("first", "after");
        assertThat(steps.abandoned()).isEqualTo(1);
    }

    @Test
    void onceTheBudgetIsSpentStuckStepsShareABoundedLateAllowance() {
        ShutdownSteps steps = new ShutdownSteps(Duration.ZERO);
        long started = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            steps.run("stuck " + i, this::awaitNever);
        }
        long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertThat(steps.abandoned()).isEqualTo(20);
        // 20 x 150 ms would be 3 s, past Main's 2 s watchdog slack; the late allowance is 1 s in all
        assertThat(tookMs).isLessThan(ShutdownSteps.LATE_TOTAL.toMillis() + 900);
    }

    @Test
    void aCapKeepsOneStepFromTakingTheWholeBudget() {
        ShutdownSteps steps = new ShutdownSteps(Duration.ofSeconds(30));
        long started = System.nanoTime();
        steps.run("capped", Duration.ofMillis(50), this::awaitNever);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(steps.abandoned()).isEqualTo(1);
    }

    @Test
    void anInterruptDoesNotCutTheWaitShortAndIsGivenBack() throws Exception {
        ShutdownSteps steps = new ShutdownSteps(Duration.ofSeconds(30));
        CountDownLatch release = new CountDownLatch(1);
        List<String> ran = new ArrayList<>();
        Thread.currentThread().interrupt();
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(200); // lets the step be waited on with the interrupt flag set
            } catch (InterruptedException e) {
                return;
            } finally {
                release.countDown();
            }
        });
        releaser.start();
        steps.run("slow", () -> {
            try {
                release.await();
                ran.add("slow");
            } catch (InterruptedException e) {
                ran.add("interrupted");
            }
        });
        assertThat(Thread.interrupted()).as("interrupt flag given back").isTrue();
        assertThat(ran).containsExactly("slow");
        assertThat(steps.abandoned()).isZero();
        releaser.join();
    }

    private void awaitNever() {
        try {
            never.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
