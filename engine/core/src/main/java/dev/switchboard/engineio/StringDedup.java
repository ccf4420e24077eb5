package dev.switchboard.engineio;

/**
 * Returns an equal string seen before instead of a new copy, for what most handshakes share (header names,
 * Host, User-Agent, Origin, query parameters like {@code EIO=4}). A fixed table indexed by hash, last writer
 * wins: no lock and no growth, and a miss only costs the copy it would have kept anyway. Strings are
 * immutable and reference writes atomic, so racing threads at worst replace each other's entry.
 */
final class StringDedup {
    private static final int SLOTS = 4096; // a power of two
    private static final int MAX_LENGTH = 512;
    private static final String[] TABLE = new String[SLOTS];

    private StringDedup() {
    }

    static String of(String s) {
        if (s == null || s.length() > MAX_LENGTH) {
            return s;
        }
        int h = s.hashCode();
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        String seen = TABLE[slot];
        if (s.equals(seen)) {
            return seen;
        }
        TABLE[slot] = s;
        return s;
    }
}
