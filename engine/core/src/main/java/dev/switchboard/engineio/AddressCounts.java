package dev.switchboard.engineio;

import java.util.concurrent.ConcurrentHashMap;

/**
 * What each client address holds open (TCP connections, namespace connections, plain WebSockets): counted up on
 * open and down on close; an address that holds nothing is forgotten, so the map is bounded by what is open.
 * The one per-address counter of the server's admission limits. Thread-safe.
 */
public final class AddressCounts<K> {
    private final ConcurrentHashMap<K, Integer> counts = new ConcurrentHashMap<>();

    /** One more for {@code address}; returns its count including this one. */
    public int increment(K address) {
        return counts.merge(address, 1, Integer::sum);
    }

    /** One fewer for {@code address}; forgotten at zero. */
    public void decrement(K address) {
        counts.computeIfPresent(address, (k, c) -> c <= 1 ? null : c - 1);
    }

    public int count(K address) {
        return counts.getOrDefault(address, 0);
    }

    /** Addresses holding at least one. */
    public int addresses() {
        return counts.size();
    }
}
