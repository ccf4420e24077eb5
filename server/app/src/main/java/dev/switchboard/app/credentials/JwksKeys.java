package dev.switchboard.app.credentials;

import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;

/**
 * The public keys at a JWKS URL (JWT_JWKS_URL), cached for JWT_JWKS_CACHE_MS and looked up by {@code kid}.
 * <ul>
 * <li>A {@code kid} not in the cached set refreshes it (the provider rotated keys), but the endpoint is fetched at most
 *     once per JWT_JWKS_MIN_REFRESH_MS, whatever the reason: a flood of tokens with random {@code kid}s costs one
 *     fetch per interval, not one per token.</li>
 * <li>A fetch is bounded ({@link #TIMEOUT} to connect and for each read, {@link #FETCH_DEADLINE} in all, {@link #MAX_BYTES};
 *     redirects only as {@link JwksFetch} allows) and runs one at a time: on the thread that checks a Socket.IO
 *     handshake (a worker thread, shared by every socket's handlers), or, for callers that must not wait (the plain
 *     channels' auth on a Netty I/O thread), on a background thread while the keys at hand answer. At most
 *     {@link #MAX_WAITING} handshake threads wait for a fetch at once; beyond, the keys at hand answer, so handshakes
 *     with made-up {@code kid}s during a slow fetch cannot hold every handler thread.</li>
 * <li>When a fetch fails, the last good set keeps working; the failure is logged once until a fetch succeeds again.</li>
 * </ul>
 * Secret (oct) keys and RSA keys under 2048 bits are dropped from the set.
 */
public final class JwksKeys implements JwtKeys {
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final Duration FETCH_DEADLINE = Duration.ofSeconds(5);
    static final int MAX_BYTES = 1 << 20;
    static final int MAX_WAITING = 4;

    private static final Logger log = LoggerFactory.getLogger(JwksKeys.class);

    private final URL url;
    private final long cacheNanos;
    private final long minRefreshNanos;
    private final JwksFetch fetch;
    private final Semaphore waiting = new Semaphore(MAX_WAITING);
    private final LongSupplier nanoClock;

    /** Fetches for threads that must not wait (Netty I/O threads); daemon, so it never holds the JVM up. */
    private static final ExecutorService BACKGROUND = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "jwks-fetch");
        thread.setDaemon(true);
        return thread;
    });

    private final AtomicBoolean backgroundPending = new AtomicBoolean();
    private volatile Cached cached; // the last good set; null until a fetch succeeded
    private long lastAttempt; // guarded by this
    private boolean attempted; // guarded by this
    private boolean failing; // guarded by this

    private record Cached(JWKSet keys, long fetchedAt) {
    }

    public JwksKeys(URL url, Duration cacheFor, Duration minRefreshInterval) {
        this(url, cacheFor, minRefreshInterval, System::nanoTime);
    }

    JwksKeys(URL url, Duration cacheFor, Duration minRefreshInterval, LongSupplier nanoClock) {
        this.url = Objects.requireNonNull(url);
        this.cacheNanos = cacheFor.toNanos();
        this.minRefreshNanos = minRefreshInterval.toNanos();
        this.fetch = new JwksFetch(url, TIMEOUT, FETCH_DEADLINE, MAX_BYTES);
        this.nanoClock = nanoClock;
    }

    @Override
    public List<JWK> candidates(JWSHeader header, boolean mayBlock) throws JwtVerifier.InvalidTokenException {
        Cached current = cached;
        if (current == null || nanoClock.getAsLong() - current.fetchedAt() > cacheNanos) {
            current = mayBlock ? refreshOrKeysAtHand() : refreshInBackground();
        }
        if (current == null) {
            throw new JwtVerifier.InvalidTokenException("signing keys unavailable");
        }
        String kid = header.getKeyID();
        if (kid == null) {
            return current.keys().getKeys();
        }
        JWK key = current.keys().getKeyByKeyId(kid);
        if (key == null) {
            current = mayBlock ? refreshOrKeysAtHand() : refreshInBackground(); // perhaps a rotation
            key = current == null ? null : current.keys().getKeyByKeyId(kid);
        }
        if (key == null) {
            throw new JwtVerifier.InvalidTokenException("unknown signing key");
        }
        return List.of(key);
    }

    @Override
    public String describe() {
        return "jwks " + url;
    }

    @Override
    public void warmUp() {
        refreshInBackground();
    }

    /**
     * {@link #refresh()} on this thread, unless {@link #MAX_WAITING} threads already wait and there are keys at hand
     * to answer from. With none yet (the first fetch still running, as after a restart) every caller waits for it:
     * refused now, a socket.io-client would not retry by itself.
     */
    private Cached refreshOrKeysAtHand() {
        if (cached == null) {
            return refresh();
        }
        if (!waiting.tryAcquire()) {
            return cached;
        }
        try {
            return refresh();
        } finally {
            waiting.release();
        }
    }

    /** Has {@link #refresh()} run on the background fetcher (one at a time); returns the keys at hand now. */
    private Cached refreshInBackground() {
        if (backgroundPending.compareAndSet(false, true)) {
            try {
                BACKGROUND.execute(() -> {
                    try {
                        refresh();
                    } finally {
                        backgroundPending.set(false);
                    }
                });
            } catch (RuntimeException e) {
                backgroundPending.set(false);
                throw e;
            }
        }
        return cached;
    }

    /** Fetches the set unless a fetch was tried within the minimum interval; returns the last good set either way. */
    private synchronized Cached refresh() {
        long now = nanoClock.getAsLong();
        if (attempted && now - lastAttempt < minRefreshNanos) {
            return cached;
        }
        attempted = true;
        try {
            JWKSet keys = usable(JWKSet.parse(fetch.get()));
            Cached previous = cached;
            cached = new Cached(keys, now);
            if (failing || previous == null || !kids(previous.keys()).equals(kids(keys))) {
                log.info("jwks keys loaded url={} keys={} kids={}", url, keys.size(), kids(keys));
            }
            failing = false;
        } catch (IOException | java.text.ParseException | RuntimeException e) {
            if (!failing) {
                // keeping=none: every JWT is refused ("signing keys unavailable") until a fetch succeeds
                log.warn("jwks fetch failed url={} error=\"{}\" keeping={}", url, e.getMessage(),
                        cached == null ? "none" : "last_good_set");
            }
            failing = true;
        } finally {
            // counted from the end: threads that waited for this fetch take its result instead of starting another
            lastAttempt = nanoClock.getAsLong();
        }
        return cached;
    }

    private static JWKSet usable(JWKSet fetched) {
        List<JWK> keys = new ArrayList<>();
        for (JWK key : fetched.toPublicJWKSet().getKeys()) { // drops secret (oct) keys and private parts
            if (key instanceof RSAKey rsa && rsa.size() < PemKeys.MIN_RSA_BITS) {
                continue;
            }
            keys.add(key);
        }
        return new JWKSet(keys);
    }

    private static List<String> kids(JWKSet keys) {
        return keys.getKeys().stream().map(k -> String.valueOf(k.getKeyID())).toList();
    }
}
