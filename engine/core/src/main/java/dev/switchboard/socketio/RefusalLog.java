package dev.switchboard.socketio;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A log line any client can cause as often as it likes (a CONNECT refused before a socket exists: one polling body
 * may carry thousands) is let through at most once a second per server, saying how many were held back; the
 * client-chosen text in it is cut short and kept on one line.
 */
final class RefusalLog {
    static final int MAX_NAME_CHARS = 64;
    private static final long SECOND_NANOS = 1_000_000_000L;

    private final AtomicLong lastPassed = new AtomicLong(System.nanoTime() - SECOND_NANOS);
    private final AtomicLong heldBack = new AtomicLong();

    /** How many were held back since the last one let through; -1: hold this one back. */
    long pass() {
        long now = System.nanoTime();
        long last = lastPassed.get();
        if (now - last < SECOND_NANOS || !lastPassed.compareAndSet(last, now)) {
            heldBack.incrementAndGet();
            return -1;
        }
        return heldBack.getAndSet(0);
    }

    /** A client-chosen name for a log line: at most {@link #MAX_NAME_CHARS} characters, control characters as '?'. */
    static String shorten(String name) {
        StringBuilder out = new StringBuilder(Math.min(name.length(), MAX_NAME_CHARS) + 16);
        for (int i = 0; i < name.length() && i < MAX_NAME_CHARS; i++) {
            char c = name.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        if (name.length() > MAX_NAME_CHARS) {
            out.append("...(").append(name.length()).append(" chars)");
        }
        return out.toString();
    }
}
