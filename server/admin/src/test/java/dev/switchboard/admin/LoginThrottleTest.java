package dev.switchboard.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.switchboard.admin.LoginThrottle.Outcome;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoginThrottleTest {
    private final AtomicLong now = new AtomicLong();
    private final LoginThrottle throttle = new LoginThrottle(Duration.ofSeconds(1), Duration.ofSeconds(8), 1, now::get);

    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }

    @Test
    void backoffDoublesPerFailureUpToTheMaximum() {
        assertThat(throttle.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(throttle.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(throttle.backoff(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(throttle.backoff(5)).isEqualTo(Duration.ofSeconds(8));
        assertThat(throttle.backoff(1000)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void afterAFailureTheAddressWaitsWithoutAnyCheck() {
        assertThat(throttle.attempt("a", () -> false).outcome()).isEqualTo(Outcome.REJECTED);
        LoginThrottle.Result refused = throttle.attempt("a", () -> true);
        assertThat(refused.outcome()).isEqualTo(Outcome.BACKING_OFF);
        assertThat(refused.retryAfter()).isBetween(Duration.ofMillis(999), Duration.ofMillis(1001));
        assertThat(throttle.attempt("b", () -> false).outcome()).as("other addresses are not held up")
                .isEqualTo(Outcome.REJECTED);
        assertThat(throttle.checksRun()).isEqualTo(2);

        advance(Duration.ofMillis(500));
        assertThat(throttle.attempt("a", () -> false).outcome()).as("refusals do not lengthen the wait")
                .isEqualTo(Outcome.BACKING_OFF);
        advance(Duration.ofMillis(501));
        assertThat(throttle.attempt("a", () -> false).outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(throttle.attempt("a", () -> true).retryAfter()).isGreaterThan(Duration.ofMillis(1900));
        advance(Duration.ofSeconds(2));
        assertThat(throttle.attempt("a", () -> true).outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(throttle.attempt("a", () -> false).outcome()).as("a success clears the address")
                .isEqualTo(Outcome.REJECTED);
        assertThat(throttle.checksRun()).isEqualTo(5);
    }

    @Test
    void aLongQuietPeriodStartsOver() {
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.attempt("a", () -> false).outcome()).isEqualTo(Outcome.REJECTED);
            advance(Duration.ofSeconds(9));
        }
        advance(Duration.ofSeconds(9));
        throttle.attempt("a", () -> false);
        assertThat(throttle.attempt("a", () -> false).retryAfter()).isLessThanOrEqualTo(Duration.ofMillis(1001));
    }

    @Test
    void checksBeyondTheBoundAndASecondCheckOfOneAddressAreRefusedAtOnce() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<LoginThrottle.Result> slow = CompletableFuture.supplyAsync(() -> throttle.attempt("a", () -> {
            inside.countDown();
            try {
                return release.await(20, TimeUnit.SECONDS) && false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }));
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(throttle.attempt("b", () -> true).outcome()).isEqualTo(Outcome.BUSY);
        assertThat(throttle.attempt("a", () -> true).outcome()).isEqualTo(Outcome.BACKING_OFF);
        release.countDown();
        assertThat(slow.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(throttle.attempt("b", () -> true).outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(throttle.checksRun()).isEqualTo(2);
    }

    @Test
    void rememberedAddressesAreBounded() {
        for (int i = 0; i < LoginThrottle.MAX_ADDRESSES + 500; i++) {
            throttle.attempt("10.0." + (i / 250) + "." + (i % 250), () -> false);
        }
        assertThat(throttle.trackedAddresses()).isEqualTo(LoginThrottle.MAX_ADDRESSES);
    }
}
