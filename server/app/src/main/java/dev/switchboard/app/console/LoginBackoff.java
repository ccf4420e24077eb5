package dev.switchboard.app.console;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows token guessing at the console login, per client address: after a failed login the address waits
 * {@link #BASE} (doubled per further failure, at most {@link #MAX}); attempts meanwhile are refused without a check
 * and do not lengthen the wait; a success clears the address. The same rule and defaults as the Admin UI's login
 * throttle (ADMIN_UI_LOGIN_BACKOFF_MS / _MAX_MS), written here because that class is private to the Admin UI.
 * At most {@link #MAX_ADDRESSES} addresses are remembered, the longest idle forgotten first.
 */
final class LoginBackoff {
    static final Duration BASE = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(60);
    static final int MAX_ADDRESSES = 10_000;

    private static final class Failures {
        int count;
        long retryAtNanos;
    }

    private final LongSupplier nanoTime;
    private final Map<String, Failures> byAddress = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    LoginBackoff() {
        this(System::nanoTime);
    }

    LoginBackoff(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** How long the address must still wait before its next check; zero when it may try now. */
    synchronized Duration waitFor(String address) {
        Failures failures = byAddress.get(address);
        if (failures == null) {
            return Duration.ZERO;
        }
        long wait = failures.retryAtNanos - nanoTime.getAsLong();
        return wait > 0 ? Duration.ofNanos(wait) : Duration.ZERO;
    }

    synchronized void failed(String address) {
        long now = nanoTime.getAsLong();
        Failures failures = byAddress.computeIfAbsent(address, a -> new Failures());
        if (failures.count > 0 && now - failures.retryAtNanos > MAX.toNanos()) {
            failures.count = 0; // quiet for longer than the longest wait: start over
        }
        failures.count++;
        failures.retryAtNanos = now + backoff(failures.count).toNanos();
    }

    synchronized void succeeded(String address) {
        byAddress.remove(address);
    }

    synchronized int trackedAddresses() {
        return byAddress.size();
    }

    static Duration backoff(int failures) {
        Duration wait = BASE.multipliedBy(1L << Math.min(failures - 1, 30));
        return wait.compareTo(MAX) > 0 ? MAX : wait;
    }
}
