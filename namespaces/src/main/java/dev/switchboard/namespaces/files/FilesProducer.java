package dev.switchboard.namespaces.files;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

import dev.switchboard.namespaces.core.Producer;
import dev.switchboard.namespaces.core.ProducerException;
import dev.switchboard.namespaces.core.StreamSink;
import dev.switchboard.namespaces.core.Upstream;

/** Opens one {@link TreeWatcher} per topic on the namespace's {@link WatchHub}. */
final class FilesProducer implements Producer<WatchTopic> {
    private final WatchHub hub;
    private final ScheduledExecutorService scheduler;
    private final Duration debounce;
    private final int maxEntries;
    private final List<Path> roots;
    private final EntryBudget budget;
    private final Map<WatchTopic, TreeWatcher> running = new ConcurrentHashMap<>();

    FilesProducer(WatchHub hub, ScheduledExecutorService scheduler, Duration debounce, int maxEntries, long maxTotalEntries,
                  List<Path> roots) {
        this.hub = hub;
        this.scheduler = scheduler;
        this.debounce = debounce;
        this.maxEntries = maxEntries;
        this.roots = List.copyOf(roots);
        this.budget = new EntryBudget(maxTotalEntries);
    }

    @Override
    public Upstream open(WatchTopic topic, StreamSink sink) throws ProducerException {
        TreeWatcher watcher = new TreeWatcher(topic, hub, scheduler, debounce, sink, maxEntries, rootOf(topic.path()),
                budget);
        try {
            watcher.open();
        } catch (TreeWatcher.OverBudgetException e) {
            throw new ProducerException("LIMIT_EXCEEDED", e.getMessage(), e);
        } catch (TreeWatcher.TooLargeException e) {
            throw new ProducerException("LIMIT_EXCEEDED", e.getMessage() + "; watch a smaller folder or use recursive: false", e);
        } catch (IOException e) {
            watcher.close();
            String reason = String.valueOf(e.getMessage());
            if (reason.contains("inotify")) {
                throw new ProducerException("LIMIT_EXCEEDED", "the host's file watch limit is reached", e);
            }
            throw new ProducerException("NOT_FOUND", "cannot watch " + topic.path() + ": " + e.getClass().getSimpleName(), e);
        }
        running.put(topic, watcher);
        return new Upstream() {
            @Override
            public void close() {
                running.remove(topic, watcher);
                watcher.close();
            }
        };
    }

    /** The deepest configured root holding {@code path} (the guard admitted it, so there is one). */
    private Path rootOf(Path path) {
        Path best = null;
        for (Path root : roots) {
            if (path.startsWith(root) && (best == null || root.getNameCount() > best.getNameCount())) {
                best = root;
            }
        }
        return best;
    }

    TreeWatcher watcher(WatchTopic topic) {
        return running.get(topic);
    }
}
