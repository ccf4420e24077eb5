package dev.switchboard.namespaces.files;

import java.nio.file.Path;

/**
 * What one shared watcher watches: a canonical path (a folder, or one file), whether sub-folders count, and an
 * optional glob on paths relative to it. Subscribers of equal topics share one watcher.
 */
public record WatchTopic(Path path, boolean recursive, String glob) {

    /** Stable room key. */
    public String key() {
        return path + "|" + (recursive ? "r" : "n") + "|" + (glob == null ? "" : glob);
    }
}
