package dev.switchboard.admin;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Guards a login check: the Admin UI's password (a bcrypt hash, tens of milliseconds of CPU each) and the operator
 * console's token. One rule for both, so a guesser meets the same backoff at either door.
 *
 * <p>Per client address: after a failed login the address must wait (the backoff doubles with each consecutive
 * failure, up to a maximum) and may have only one check running; attempts meanwhile are refused at once, without
 * a check, and do not lengthen the wait. A success clears the address. Over all addresses: at most
 * {@code maxConcurrentChecks} checks run at once; an attempt finding none free is refused at once as busy.
 * At most {@link #MAX_ADDRESSES} addresses are remembered (the longest idle is forgotten first).
 */
public final class LoginThrottle {
    public static final int MAX_ADDRESSES = 10_000;

    /** What became of an attempt. */
    public enum Outcome { ACCEPTED, REJECTED, BACKING_OFF, BUSY }

    /** The outcome, and for BACKING_OFF how long until the address may try again. */
    public record Result(Outcome outcome, Duration retryAfter) {
    }

    private static final class Failures {
        int count;
        long retryAtNanos;
        boolean checking;
    }

    private final Duration baseBackoff;
    private final Duration maxBackoff;
    private final Semaphore checks;
    private final LongSupplier nanoTime;
    private final AtomicLong checksRun = new AtomicLong();
    private final Map<String, Failures> byAddress = new LinkedHashMap<>(16, 0.75f, true);

    public LoginThrottle(Duration baseBackoff, Duration maxBackoff, int maxConcurrentChecks) {
        this(baseBackoff, maxBackoff, maxConcurrentChecks, System::nanoTime);
    }

    LoginThrottle(Duration baseBackoff, Duration maxBackoff, int maxConcurrentChecks, LongSupplier nanoTime) {
        this.baseBackoff = baseBackoff;
        this.maxBackoff = maxBackoff;
        this.checks = new Semaphore(maxConcurrentChecks);
        this.nanoTime = nanoTime;
    }

    /** Runs {@code check} (true: right credentials) for {@code address} unless it must wait or all checks are busy. */
    public Result attempt(String address, BooleanSupplier check) {
        Failures failures;
        synchronized (byAddress) {
            failures = byAddress.get(address);
            if (failures != null) {
                long wait = failures.retryAtNanos - nanoTime.getAsLong();
                if (failures.checking || wait > 0) {
                    return new Result(Outcome.BACKING_OFF, Duration.ofNanos(Math.max(wait, 0)).plusMillis(1));
                }
                if (-wait > maxBackoff.toNanos()) {
                    failures.count = 0; // quiet for longer than the longest wait: start over
                }
            }
            if (!checks.tryAcquire()) {
                return new Result(Outcome.BUSY, Duration.ZERO);
            }
            if (failures == null) {
                failures = new Failures();
                byAddress.put(address, failures);
                forgetBeyondCapacity();
            }
            failures.checking = true;
        }
        boolean accepted = false;
        try {
            checksRun.incrementAndGet();
            accepted = check.getAsBoolean();
        } finally {
            checks.release();
            synchronized (byAddress) {
                failures.checking = false;
                if (accepted) {
                    byAddress.remove(address, failures);
                } else {
                    failures.count++;
                    failures.retryAtNanos = nanoTime.getAsLong() + backoff(failures.count).toNanos();
                }
            }
        }
        return new Result(accepted ? Outcome.ACCEPTED : Outcome.REJECTED, Duration.ZERO);
    }

    /** The wait after {@code failures} consecutive failures: base, 2×base, 4×base... at most the maximum. */
    Duration backoff(int failures) {
        int doublings = Math.min(failures - 1, 30);
        Duration wait = baseBackoff.multipliedBy(1L << doublings);
        return wait.compareTo(maxBackoff) > 0 || wait.isNegative() ? maxBackoff : wait;
    }

    /** Password checks run so far. */
    long checksRun() {
        return checksRun.get();
    }

    /** Addresses remembered now. */
    int trackedAddresses() {
        synchronized (byAddress) {
            return byAddress.size();
        }
    }

    private void forgetBeyondCapacity() {
        Iterator<Failures> eldest = byAddress.values().iterator();
        while (byAddress.size() > MAX_ADDRESSES && eldest.hasNext()) {
            Failures candidate = eldest.next();
            if (!candidate.checking) {
                eldest.remove();
            }
        }
    }
}
