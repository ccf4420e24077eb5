package dev.switchboard.namespaces.files;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link WatchService} (one inotify instance: Linux allows only 128 per user) and one thread for every
 * watcher of the namespace. A folder registered by several watchers has one key, delivered to each of them.
 */
public final class WatchHub implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WatchHub.class);

    /** Receives the events of the folders it registered; called on the hub's thread, must not block. */
    interface Listener {
        void onEvents(Path dir, List<WatchEvent<?>> events);

        /** The folder's key became invalid (folder deleted, moved away or unmounted). */
        void onDirectoryGone(Path dir);

        /** Every key ready at once has been delivered: work that many keys may ask for is done here once. */
        default void onBatchEnd() {
        }

        /**
         * This listener threw (an Error too) and was removed from every folder; it must end loudly, since the
         * hub will deliver it nothing more.
         */
        void onFailed(Throwable error);
    }

    /** Keys handled per batch at most, so a writer keeping keys ready cannot postpone the batch's end forever. */
    private static final int MAX_BATCH_KEYS = 1024;

    private final WatchService service;
    private final Map<WatchKey, Set<Listener>> listeners = new HashMap<>();
    private final AtomicLong overflows = new AtomicLong();
    private Thread thread;
    private volatile boolean closed;

    public WatchHub() throws IOException {
        this.service = FileSystems.getDefault().newWatchService();
    }

    public synchronized void start() {
        if (thread == null) {
            thread = new Thread(this::run, "files-watch-hub");
            thread.setDaemon(true);
            thread.start();
        }
    }

    WatchKey register(Path dir, Listener listener) throws IOException {
        synchronized (listeners) {
            WatchKey key = dir.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
            listeners.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(listener);
            return key;
        }
    }

    void unregister(WatchKey key, Listener listener) {
        synchronized (listeners) {
            Set<Listener> set = listeners.get(key);
            if (set != null && set.remove(listener) && set.isEmpty()) {
                listeners.remove(key);
                key.cancel();
            }
        }
    }

    /** OVERFLOW events seen so far (the kernel or the JDK dropped events; watchers rescan). */
    public long overflows() {
        return overflows.get();
    }

    /** Folders registered now. */
    public int registeredKeys() {
        synchronized (listeners) {
            return listeners.size();
        }
    }

    private void run() {
        while (!closed) {
            WatchKey first;
            try {
                first = service.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            try {
                // every key ready now is one batch: overflows of many folders of one tree cost one rescan
                Set<Listener> touched = new LinkedHashSet<>();
                WatchKey key = first;
                for (int n = 1; key != null; n++) {
                    deliver(key, touched);
                    key = n < MAX_BATCH_KEYS ? service.poll() : null;
                }
                for (Listener listener : touched) {
                    guarded(listener, null, listener::onBatchEnd);
                }
            } catch (ClosedWatchServiceException e) {
                return;
            } catch (Throwable e) { // this thread serves every watch of every client: it must outlive any failure
                log.error("watch hub delivery failed error={}", e.toString(), e);
            }
        }
    }

    private void deliver(WatchKey key, Set<Listener> touched) {
        Path dir = (Path) key.watchable();
        List<WatchEvent<?>> events = key.pollEvents();
        boolean valid = key.reset();
        List<Listener> targets;
        synchronized (listeners) {
            Set<Listener> set = valid ? listeners.get(key) : listeners.remove(key);
            targets = set == null ? List.of() : new ArrayList<>(set);
        }
        for (WatchEvent<?> event : events) {
            if (event.kind() == OVERFLOW) {
                overflows.incrementAndGet();
                log.info("watch overflow dir={} listeners={}", dir, targets.size());
            }
        }
        for (Listener listener : targets) {
            boolean ok = guarded(listener, dir, () -> {
                if (!events.isEmpty()) {
                    listener.onEvents(dir, events);
                }
                if (!valid) {
                    listener.onDirectoryGone(dir);
                }
            });
            if (ok) {
                touched.add(listener);
            } else {
                touched.remove(listener);
            }
        }
    }

    /** Runs one listener's work; a listener that throws anything is removed from every folder and told so. */
    private boolean guarded(Listener listener, Path dir, Runnable work) {
        try {
            work.run();
            return true;
        } catch (Throwable e) {
            log.error("watch listener failed dir={} error={}", dir, e.toString(), e);
            removeEverywhere(listener);
            try {
                listener.onFailed(e);
            } catch (Throwable again) {
                log.error("watch listener failed to end dir={} error={}", dir, again.toString(), again);
            }
            return false;
        }
    }

    private void removeEverywhere(Listener listener) {
        synchronized (listeners) {
            for (var it = listeners.entrySet().iterator(); it.hasNext();) {
                var entry = it.next();
                if (entry.getValue().remove(listener) && entry.getValue().isEmpty()) {
                    it.remove();
                    entry.getKey().cancel();
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            service.close();
        } catch (IOException e) {
            log.warn("watch service close failed", e);
        }
        Thread running;
        synchronized (this) {
            running = thread;
        }
        if (running != null) {
            running.interrupt();
        }
    }
}
