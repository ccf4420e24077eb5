package dev.switchboard.namespaces.files;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.namespaces.core.StreamSink;
import dev.switchboard.namespaces.core.Upstream;

/**
 * Watches one topic (a folder, optionally its whole tree, or one file) and emits {@code change} events.
 *
 * <p>Keeps a snapshot of what it last saw (type, size, mtime per path), which makes it complete where the
 * WatchService is not: a folder created under a recursive watch is registered and scanned at once (files written
 * into it before registration are reported), and on OVERFLOW the tree is rescanned and the difference with the
 * snapshot is emitted. Bursts of modifications of one file are reported once, after {@code debounce} of quiet.
 * Symbolic links are reported as entries, never followed, and nothing is read through one: every path is read
 * from the configured root down, one name at a time, when it is reported ({@link NoFollowTree}), so a folder
 * swapped for a link to outside the root never reports what is outside. The snapshot never holds more than
 * {@code maxEntries} (plus one read): a tree that grows past it ends the watch with {@code LIMIT_EXCEEDED}.
 */
final class TreeWatcher implements Upstream, WatchHub.Listener {
    private static final Logger log = LoggerFactory.getLogger(TreeWatcher.class);

    /**
     * Folders this many levels below the watched one are reported but neither read nor watched: the walk holds one
     * open folder and a few stack frames per level, and a local writer can nest folders far deeper than PATH_MAX.
     */
    static final int MAX_DEPTH = 128;

    private record Entry(boolean dir, long size, long mtime) {
    }

    private final WatchTopic topic;
    private final String watchLabel;
    private final Path watchDir;
    private final Path onlyFile;
    private final NoFollowTree tree;
    private final Glob glob;
    private final boolean globOnNames;
    private final WatchHub hub;
    private final ScheduledExecutorService scheduler;
    private final long debounceNanos;
    private final StreamSink sink;
    private final int maxEntries;
    private final EntryBudget budget;
    private final Snapshot<Entry> snapshot = new Snapshot<>();
    private final Map<Path, WatchKey> keys = new HashMap<>();
    private final Set<Path> pendingModify = new HashSet<>();
    private boolean closed;
    private boolean depthLogged;
    private boolean rescanDue;
    /** What this watch holds of the namespace's budget now; over once its own growth took the total past it. */
    private long charged;
    private boolean overBudget;
    private long rescans;

    /** Thrown by {@link #open()} when the watches of the namespace together would hold more than their budget. */
    static final class OverBudgetException extends IOException {
        OverBudgetException(String message) {
            super(message);
        }
    }

    /** Thrown by {@link #open()} when the tree holds more than {@code maxEntries}. */
    static final class TooLargeException extends IOException {
        TooLargeException(String message) {
            super(message);
        }
    }

    TreeWatcher(WatchTopic topic, WatchHub hub, ScheduledExecutorService scheduler, Duration debounce, StreamSink sink) {
        this(topic, hub, scheduler, debounce, sink, Integer.MAX_VALUE);
    }

    TreeWatcher(WatchTopic topic, WatchHub hub, ScheduledExecutorService scheduler, Duration debounce, StreamSink sink,
                int maxEntries) {
        this(topic, hub, scheduler, debounce, sink, maxEntries, null);
    }

    TreeWatcher(WatchTopic topic, WatchHub hub, ScheduledExecutorService scheduler, Duration debounce, StreamSink sink,
                int maxEntries, Path anchor) {
        this(topic, hub, scheduler, debounce, sink, maxEntries, anchor, EntryBudget.unlimited());
    }

    /**
     * @param anchor the trusted folder (the configured root) the topic lies under; everything reported is read from
     *               it without following links. Null: the watched folder itself.
     * @param budget the entries all watches of the namespace may hold together, shared by them
     */
    TreeWatcher(WatchTopic topic, WatchHub hub, ScheduledExecutorService scheduler, Duration debounce, StreamSink sink,
                int maxEntries, Path anchor, EntryBudget budget) {
        this.topic = topic;
        this.watchLabel = topic.path().toString();
        boolean isDir = Files.isDirectory(topic.path(), LinkOption.NOFOLLOW_LINKS);
        this.watchDir = isDir ? topic.path() : topic.path().getParent();
        this.tree = new NoFollowTree(anchor != null ? anchor : watchDir);
        this.onlyFile = isDir ? null : topic.path();
        this.glob = topic.glob() == null ? null : Glob.compile(topic.glob());
        this.globOnNames = topic.glob() != null && !topic.glob().contains("/");
        this.hub = hub;
        this.scheduler = scheduler;
        this.debounceNanos = debounce.toNanos();
        this.sink = sink;
        this.maxEntries = maxEntries;
        this.budget = budget;
    }

    /** Registers the folder(s) first, then records what is there, so nothing created in between is missed. */
    synchronized TreeWatcher open() throws IOException {
        keys.put(watchDir, hub.register(watchDir, this));
        scan(watchDir, room()).forEach(snapshot::put);
        if (overBound()) {
            int found = snapshot.size();
            close();
            if (found > maxEntries) {
                throw new TooLargeException("more than " + maxEntries + " entries under " + watchLabel + " (" + found + ")");
            }
            throw new OverBudgetException(overBudgetReason());
        }
        log.info("watch opened path={} recursive={} glob={} entries={} folders={}", watchLabel, topic.recursive(),
                topic.glob(), snapshot.size(), keys.size());
        return this;
    }

    @Override
    public void onEvents(Path dir, List<WatchEvent<?>> events) {
        synchronized (this) {
            if (closed) {
                return;
            }
            applyEvents(dir, events);
            if (!overBound()) {
                return;
            }
        }
        endOverBound();
    }

    private void applyEvents(Path dir, List<WatchEvent<?>> events) {
        boolean overflow = false;
        for (WatchEvent<?> event : events) {
            if (overBound()) {
                return; // the watch ends: the rest of the batch is not read
            }
            if (event.kind() == OVERFLOW) {
                overflow = true;
                continue;
            }
            Path child = dir.resolve((Path) event.context());
            if (!inScope(child)) {
                continue;
            }
            if (event.kind() == ENTRY_CREATE) {
                created(child);
            } else if (event.kind() == ENTRY_MODIFY) {
                modified(child);
            } else if (event.kind() == ENTRY_DELETE) {
                deleted(child);
            }
        }
        if (overflow) {
            rescanDue = true; // read once the hub's batch ends, however many folders overflowed in it
        }
    }

    @Override
    public void onBatchEnd() {
        synchronized (this) {
            if (closed || !rescanDue) {
                return;
            }
            rescanDue = false;
            rescan();
            if (!overBound()) {
                return;
            }
        }
        endOverBound();
    }

    /** The hub could not deliver to this watch (it threw) and dropped it: subscribers learn the watch ended. */
    @Override
    public void onFailed(Throwable error) {
        synchronized (this) {
            if (closed) {
                return;
            }
            close();
        }
        log.warn("watch ended path={} reason=failed error={}", watchLabel, error.toString());
        Map<String, Object> payload = new LinkedHashMap<>(); // outside our lock: closing takes the shared stream's lock
        payload.put("path", watchLabel);
        payload.put("code", "WATCH_FAILED");
        payload.put("reason", "the server failed handling a change under " + watchLabel + "; watch it again");
        sink.closed(payload);
    }

    /** The tree grew past a bound after the watch opened: the watch ends, telling its subscribers why. */
    private void endOverBound() {
        int found;
        synchronized (this) {
            if (closed) {
                return;
            }
            found = snapshot.size();
            close();
        }
        boolean ownBound = found > maxEntries;
        if (ownBound) {
            log.warn("watch ended path={} reason=too_many_entries max={} found={}", watchLabel, maxEntries, found);
        } else {
            log.warn("watch ended path={} reason=total_entries max_total={} found={}", watchLabel, budget.max(), found);
        }
        Map<String, Object> payload = new LinkedHashMap<>(); // outside our lock: closing takes the shared stream's lock
        payload.put("path", watchLabel);
        payload.put("code", "LIMIT_EXCEEDED");
        payload.put("reason", ownBound ? "more than " + maxEntries + " entries under " + watchLabel
                + "; watch a smaller folder or use recursive: false" : overBudgetReason());
        sink.closed(payload);
    }

    private String overBudgetReason() {
        return "the server's watches hold their maximum of " + budget.max() + " entries in total; try again later";
    }

    /** True when the watch is past its own bound, or its growth took the namespace past the total (recounted). */
    private boolean overBound() {
        recount();
        return overBudget || snapshot.size() > maxEntries;
    }

    /** Brings this watch's share of the namespace's budget to what it holds now (nothing once closed). */
    private void recount() {
        long holds = closed ? 0 : snapshot.size() + 1L; // + its own folder, a kernel watch too
        long delta = holds - charged;
        charged = holds;
        if (budget.add(delta) > budget.max() && delta > 0) {
            overBudget = true;
        }
    }

    /** Entries this watch may still add: what its own bound and the namespace's budget both leave. */
    private int room() {
        return (int) Math.min(Math.max(0, maxEntries - snapshot.size()), budget.remaining());
    }

    @Override
    public void onDirectoryGone(Path dir) {
        boolean gone;
        synchronized (this) {
            keys.remove(dir);
            gone = !closed && dir.equals(watchDir) && !Files.isDirectory(watchDir);
            if (gone) {
                for (Path path : sortedDeepestFirst(new ArrayList<>(snapshot.paths()))) {
                    emit("deleted", path, snapshot.get(path));
                }
                snapshot.clear();
            }
        }
        if (gone) { // outside our lock: closing takes the shared stream's lock
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("path", watchLabel);
            payload.put("reason", "watched folder was deleted or moved");
            sink.closed(payload);
        }
    }

    private boolean inScope(Path child) {
        if (onlyFile != null) {
            return child.equals(onlyFile);
        }
        return topic.recursive() || watchDir.equals(child.getParent());
    }

    private void created(Path child) {
        Entry entry = stat(child);
        if (entry == null) {
            return; // already gone again; its delete event follows
        }
        if (entry.dir() && topic.recursive() && depthOf(child) < MAX_DEPTH) {
            // includes child itself, and whatever was written into it before registration; read only up to the bound
            merge(scan(child, room()));
        } else {
            if (entry.dir() && topic.recursive()) {
                logDepthBound(child);
            }
            merge(Map.of(child, entry));
        }
    }

    /** Levels below the watched folder: its own entries are at 1. */
    private int depthOf(Path path) {
        return path.getNameCount() - watchDir.getNameCount();
    }

    private void logDepthBound(Path dir) {
        if (!depthLogged) {
            depthLogged = true;
            log.warn("watch depth bound reached path={} max_depth={} first={}", watchLabel, MAX_DEPTH, dir);
        }
    }

    private void modified(Path child) {
        Entry known = snapshot.get(child);
        if (known != null && known.dir()) {
            return; // a folder's own mtime changes with every entry: the entry events say more
        }
        if (pendingModify.add(child)) {
            scheduler.schedule(() -> flushModified(child), debounceNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void flushModified(Path child) {
        synchronized (this) {
            pendingModify.remove(child);
            if (closed) {
                return;
            }
            Entry entry = stat(child);
            if (entry != null) {
                merge(Map.of(child, entry));
            }
            if (!overBound()) {
                return;
            }
        }
        endOverBound();
    }

    private void deleted(Path child) {
        Entry removed = snapshot.remove(child);
        if (removed == null) {
            return;
        }
        if (removed.dir()) {
            for (Path path : sortedDeepestFirst(snapshot.under(child))) {
                Entry inside = snapshot.remove(path);
                if (inside.dir()) {
                    unregister(path);
                }
                emit("deleted", path, inside);
            }
            unregister(child);
        }
        emit("deleted", child, removed);
    }

    /** Emits what differs between {@code found} and the snapshot for these paths, then records them. */
    private void merge(Map<Path, Entry> found) {
        List<Path> paths = new ArrayList<>(found.keySet());
        paths.sort(Comparator.naturalOrder()); // parents before children
        for (Path path : paths) {
            Entry entry = found.get(path);
            Entry old = snapshot.put(path, entry);
            if (old == null) {
                emit("created", path, entry);
            } else if (!entry.dir() && !old.equals(entry)) {
                emit("modified", path, entry);
            }
        }
    }

    /** After an OVERFLOW: the whole scope is read again and every difference with the snapshot is emitted. */
    private void rescan() {
        rescans++;
        // a tree past the bound ends the watch; what was not read is not taken for deleted
        int limit = snapshot.size() + room();
        Map<Path, Entry> found = scan(watchDir, limit);
        if (found.size() > limit) {
            found.forEach(snapshot::put); // over the bound: the caller ends the watch
            return;
        }
        List<Path> gone = new ArrayList<>();
        for (Path path : snapshot.paths()) {
            if (!found.containsKey(path)) {
                gone.add(path);
            }
        }
        for (Path path : sortedDeepestFirst(gone)) {
            Entry removed = snapshot.remove(path);
            if (removed.dir()) {
                unregister(path);
            }
            emit("deleted", path, removed);
        }
        merge(found);
        log.info("watch rescanned path={} entries={} removed={}", watchLabel, snapshot.size(), gone.size());
    }

    /**
     * The entries in scope under {@code from} ({@code from} itself included unless it is the watched folder);
     * with a recursive topic every folder met is registered before it is read. Stops once it found more than
     * {@code limit}, so no scan reads far past the bound.
     */
    private Map<Path, Entry> scan(Path from, int limit) {
        Map<Path, Entry> found = new HashMap<>();
        int depth = topic.recursive() ? MAX_DEPTH - depthOf(from) : 1;
        var visitor = new NoFollowTree.Visitor() {
            /** Counted and logged once per scan: a tree can hold thousands of folders that cannot be watched. */
            int registerFailures;
            Path firstFailed;
            String firstReason;

            @Override
            public boolean folder(Path dir, BasicFileAttributes attrs) {
                if (topic.recursive() && !keys.containsKey(dir)) {
                    try {
                        keys.put(dir, hub.register(dir, TreeWatcher.this));
                    } catch (IOException e) {
                        if (registerFailures++ == 0) {
                            firstFailed = dir;
                            firstReason = e.toString();
                        }
                    }
                }
                if (!dir.equals(watchDir)) {
                    found.put(dir, entry(attrs));
                }
                return found.size() <= limit;
            }

            @Override
            public boolean leaf(Path path, BasicFileAttributes attrs) {
                if (topic.recursive() && attrs.isDirectory()) {
                    logDepthBound(path);
                }
                if (inScope(path)) {
                    found.put(path, entry(attrs)); // at depth 1 folders come here too
                }
                return found.size() <= limit;
            }
        };
        try {
            tree.walk(from, depth, visitor);
        } catch (FileSystemException e) {
            log.debug("watch scan skipped path={} reason={}", from, e.toString()); // gone, or swapped for a link
        } catch (IOException e) {
            log.warn("watch scan failed path={} reason={}", from, e.toString());
        }
        if (visitor.registerFailures > 0) {
            log.warn("watch register failed path={} folders={} first={} reason={}", watchLabel,
                    visitor.registerFailures, visitor.firstFailed, visitor.firstReason);
        }
        return found;
    }

    private void unregister(Path dir) {
        WatchKey key = keys.remove(dir);
        if (key != null) {
            hub.unregister(key, this);
        }
    }

    private void emit(String type, Path path, Entry entry) {
        if (glob != null) {
            Path relative = watchDir.relativize(path);
            boolean matches = glob.matches(relative.toString())
                    || (globOnNames && path.getFileName() != null && glob.matches(path.getFileName().toString()));
            if (!matches) {
                return;
            }
        }
        sink.emit("change", new FileChange(watchLabel, type, path.toString(), entry.dir(), entry.size(), entry.mtime()));
    }

    /** Read from the anchor without following links: null when missing or reached through a link. */
    private Entry stat(Path path) {
        BasicFileAttributes attrs = tree.stat(path);
        return attrs == null ? null : entry(attrs);
    }

    private static Entry entry(BasicFileAttributes attrs) {
        return new Entry(attrs.isDirectory(), attrs.size(), attrs.lastModifiedTime().toMillis());
    }

    private static List<Path> sortedDeepestFirst(List<Path> paths) {
        paths.sort(Comparator.reverseOrder());
        return paths;
    }

    /** The folder everything is read from without following links. */
    Path anchor() {
        return tree.anchor();
    }

    synchronized long rescans() {
        return rescans;
    }

    synchronized int knownEntries() {
        return snapshot.size();
    }

    synchronized int registeredFolders() {
        return keys.size();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (WatchKey key : keys.values()) {
            hub.unregister(key, this);
        }
        keys.clear();
        snapshot.clear();
        pendingModify.clear();
        recount(); // gives its share back
        log.info("watch closed path={} recursive={} glob={}", watchLabel, topic.recursive(), topic.glob());
    }
}
