package dev.switchboard.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Failed console logins slow their address down, doubling up to a minute; the address map is bounded. */
class LoginBackoffTest {
    private final AtomicLong now = new AtomicLong();
    private final LoginBackoff backoff = new LoginBackoff(now::get);

    @Test
    void eachFailureDoublesTheWaitUpToTheMaximum() {
        assertThat(backoff.waitFor("a")).isZero();
        backoff.failed("a");
        assertThat(backoff.waitFor("a")).isEqualTo(Duration.ofSeconds(1));
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(backoff.waitFor("a")).isZero();
        backoff.failed("a");
        assertThat(backoff.waitFor("a")).isEqualTo(Duration.ofSeconds(2));
        assertThat(LoginBackoff.backoff(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(LoginBackoff.backoff(7)).isEqualTo(Duration.ofSeconds(60));
        assertThat(LoginBackoff.backoff(1000)).isEqualTo(Duration.ofSeconds(60));
        assertThat(backoff.waitFor("b")).as("other addresses are not slowed").isZero();
    }

    @Test
    void successClearsAndALongQuietStartsOver() {
        backoff.failed("a");
        backoff.succeeded("a");
        assertThat(backoff.waitFor("a")).isZero();
        for (int i = 0; i < 5; i++) {
            backoff.failed("a");
        }
        now.addAndGet(Duration.ofMinutes(5).toNanos());
        backoff.failed("a");
        assertThat(backoff.waitFor("a")).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void atMostTenThousandAddressesAreRemembered() {
        for (int i = 0; i < LoginBackoff.MAX_ADDRESSES + 500; i++) {
            backoff.failed("10.0." + (i / 256) + "." + (i % 256));
        }
        assertThat(backoff.trackedAddresses()).isEqualTo(LoginBackoff.MAX_ADDRESSES);
    }
}
