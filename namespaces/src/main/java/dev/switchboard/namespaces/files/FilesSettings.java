package dev.switchboard.namespaces.files;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.switchboard.namespaces.core.SettingsReader;

/**
 * Settings of /files.
 *
 * @param roots              folders clients may watch under (FILES_ROOTS, comma-separated; none by default, which
 *                           refuses every watch)
 * @param maxWatchesPerSocket watches one socket may hold (FILES_MAX_WATCHES, default 16)
 * @param debounce           quiet time before a burst of modifications of one file is reported once
 *                           (FILES_DEBOUNCE_MS, default 75)
 * @param maxEntriesPerWatch files and folders one watch may track; a larger tree is refused with LIMIT_EXCEEDED,
 *                           and a watch whose tree grows past it ends (stream:closed, code LIMIT_EXCEEDED)
 *                           (FILES_MAX_ENTRIES, default 200000)
 * @param maxTotalEntries    files and folders every watch of the namespace may track together (each watch counts
 *                           its own folder too); this also bounds the kernel watches the process registers. A watch
 *                           that would pass it is refused with LIMIT_EXCEEDED, one whose growth passes it ends
 *                           (FILES_MAX_TOTAL_ENTRIES, default 500000: ~270 bytes of heap per entry, so ~135 MB,
 *                           a quarter of the shipped 512 MB heap)
 */
public record FilesSettings(List<Path> roots, int maxWatchesPerSocket, Duration debounce, int maxEntriesPerWatch,
                            int maxTotalEntries) {

    public FilesSettings {
        roots = List.copyOf(roots);
        if (maxWatchesPerSocket < 1 || debounce.isNegative() || maxEntriesPerWatch < 1 || maxTotalEntries < 1) {
            throw new IllegalArgumentException("invalid /files settings: maxWatchesPerSocket=" + maxWatchesPerSocket
                    + " debounce=" + debounce + " maxEntriesPerWatch=" + maxEntriesPerWatch
                    + " maxTotalEntries=" + maxTotalEntries);
        }
    }

    public FilesSettings(List<Path> roots, int maxWatchesPerSocket, Duration debounce, int maxEntriesPerWatch) {
        this(roots, maxWatchesPerSocket, debounce, maxEntriesPerWatch, defaults().maxTotalEntries());
    }

    /** Reads the variables named above; unset ones keep their default. */
    public static FilesSettings read(SettingsReader r) {
        FilesSettings d = defaults();
        List<String> roots = r.list("FILES_ROOTS");
        List<Path> paths = new ArrayList<>();
        if (roots != null) {
            for (String root : roots) {
                Path path = Path.of(root);
                if (!path.isAbsolute()) {
                    throw r.invalid("FILES_ROOTS", "'" + root + "' is not an absolute path");
                }
                paths.add(path.normalize());
            }
        }
        return r.checked("FILES_MAX_WATCHES", () -> new FilesSettings(paths,
                r.intInRange("FILES_MAX_WATCHES", d.maxWatchesPerSocket(), 1, 10_000),
                r.millis("FILES_DEBOUNCE_MS", d.debounce().toMillis(), 0),
                r.intInRange("FILES_MAX_ENTRIES", d.maxEntriesPerWatch(), 1, 100_000_000),
                r.intInRange("FILES_MAX_TOTAL_ENTRIES", d.maxTotalEntries(), 1, 1_000_000_000)));
    }

    public static FilesSettings defaults() {
        return new FilesSettings(List.of(), 16, Duration.ofMillis(75), 200_000, 500_000);
    }

    public FilesSettings withRoots(List<Path> newRoots) {
        return new FilesSettings(newRoots, maxWatchesPerSocket, debounce, maxEntriesPerWatch, maxTotalEntries);
    }
}
