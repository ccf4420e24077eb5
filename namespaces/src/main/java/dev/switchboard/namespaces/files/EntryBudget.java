package dev.switchboard.namespaces.files;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The entries every watch of the namespace holds together (FILES_MAX_TOTAL_ENTRIES). Each watch holds its snapshot
 * plus its own folder, and registers at most that many kernel watches, so this also bounds the inotify watches the
 * process takes from the user's share (fs.inotify.max_user_watches).
 */
final class EntryBudget {
    private final long max;
    private final AtomicLong used = new AtomicLong();

    EntryBudget(long max) {
        this.max = max;
    }

    static EntryBudget unlimited() {
        return new EntryBudget(Long.MAX_VALUE);
    }

    long max() {
        return max;
    }

    /** Adds {@code delta} (negative to give back); the total held afterwards. */
    long add(long delta) {
        return used.addAndGet(delta);
    }

    long used() {
        return used.get();
    }

    long remaining() {
        return Math.max(0, max - used.get());
    }
}
