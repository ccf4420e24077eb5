package dev.switchboard.namespaces.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.switchboard.namespaces.core.ClientEvents;
import dev.switchboard.namespaces.core.NamespaceContext;
import dev.switchboard.namespaces.core.ProducerException;
import dev.switchboard.namespaces.core.Reply;
import dev.switchboard.namespaces.core.NamespaceDefinition;
import dev.switchboard.namespaces.core.RunningNamespace;
import dev.switchboard.namespaces.core.SharedStreams;
import dev.switchboard.socketio.Socket;

/**
 * /files: {@code watch {path, recursive?, glob?}} sends {@code change} events for that path until
 * {@code unwatch {path}} or disconnect. Only paths under the configured roots can be watched.
 */
public final class FilesNamespace implements RunningNamespace {
    public static final NamespaceDefinition<FilesSettings> DEFINITION =
            new NamespaceDefinition<>("/files", true, FilesSettings::read, FilesNamespace::new);

    private record Watch(String requested, WatchTopic topic) {
    }

    private final FilesSettings settings;
    private final NamespaceContext context;
    private final PathGuard guard;
    private final Map<String, List<Watch>> watchesBySocket = new ConcurrentHashMap<>();
    private final WatchHub hub;
    private final FilesProducer producer;
    private final SharedStreams<WatchTopic> streams;
    private final ClientEvents events = new ClientEvents()
            .on("watch", event -> WatchRequest.parse(event.arg(0)), this::watch)
            .on("unwatch", event -> WatchRequest.parseUnwatch(event.arg(0)), this::unwatch);

    private FilesNamespace(FilesSettings settings, NamespaceContext context) {
        this.settings = settings;
        this.context = context;
        this.guard = new PathGuard(settings.roots());
        try {
            hub = new WatchHub();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a file watch service", e);
        }
        hub.start();
        producer = new FilesProducer(hub, context.scheduler(), settings.debounce(), settings.maxEntriesPerWatch(),
                settings.maxTotalEntries(), guard.roots());
        streams = context.sharedStreams("watch", producer, WatchTopic::key);
        Map<String, Object> greeting = new LinkedHashMap<>();
        greeting.put("namespace", context.namespace().name());
        greeting.put("events", events.names());
        greeting.put("emits", List.of("change", "error", "stream:closed"));
        greeting.put("roots", guard.roots().stream().map(Path::toString).toList());
        greeting.put("maxWatches", settings.maxWatchesPerSocket());
        context.namespace().onConnection(socket -> {
            events.attach(socket);
            socket.onDisconnect(reason -> unwatchAll(socket));
            socket.emit("connected", greeting);
        });
    }

    private Reply watch(Socket socket, WatchRequest request) throws ProducerException {
        Path path = guard.resolve(request.path());
        WatchTopic topic = new WatchTopic(path, request.recursive(), request.glob());
        List<Watch> watches = watchesBySocket.computeIfAbsent(socket.id(), id -> new ArrayList<>());
        synchronized (watches) {
            watches.removeIf(w -> !streams.isSubscribed(socket, w.topic())); // ended by stream:closed
            boolean already = watches.stream().anyMatch(w -> w.topic().equals(topic));
            if (!already && watches.size() >= settings.maxWatchesPerSocket()) {
                throw new ProducerException("LIMIT_EXCEEDED", "at most " + settings.maxWatchesPerSocket()
                        + " watches per connection; unwatch one first");
            }
            streams.subscribe(socket, topic);
            if (!already) {
                watches.add(new Watch(request.path(), topic));
            }
        }
        if (!socket.connected()) {
            unwatchAll(socket);
            return Reply.none();
        }
        return Reply.ok("path", topic.path().toString()).with("recursive", topic.recursive()).with("glob", topic.glob());
    }

    private Reply unwatch(Socket socket, String requested) throws ProducerException {
        Path canonical;
        try {
            canonical = guard.resolve(requested);
        } catch (ProducerException e) {
            canonical = null; // deleted since, or never allowed: match what the client asked for by its words
        }
        List<Watch> watches = watchesBySocket.getOrDefault(socket.id(), List.of());
        int removed = 0;
        synchronized (watches) {
            for (var it = watches.iterator(); it.hasNext();) {
                Watch watch = it.next();
                if (watch.requested().equals(requested) || watch.topic().path().equals(canonical)) {
                    streams.unsubscribe(socket, watch.topic());
                    it.remove();
                    removed++;
                }
            }
        }
        if (removed == 0) {
            throw new ProducerException("NOT_WATCHED", "this connection does not watch " + requested);
        }
        return Reply.ok("path", requested).with("removed", removed);
    }

    private void unwatchAll(Socket socket) {
        watchesBySocket.remove(socket.id());
        streams.unsubscribeAll(socket);
    }

    @Override
    public int activeStreams() {
        return context.activeStreams();
    }

    /** The canonical roots clients may watch under. */
    public List<Path> roots() {
        return guard.roots();
    }

    WatchHub hub() {
        return hub;
    }

    TreeWatcher watcher(WatchTopic topic) {
        return producer.watcher(topic);
    }

    @Override
    public void close() {
        hub.close();
    }
}
