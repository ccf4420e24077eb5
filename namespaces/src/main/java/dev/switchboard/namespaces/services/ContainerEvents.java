package dev.switchboard.namespaces.services;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;

import dev.switchboard.namespaces.core.StreamSink;

/**
 * One follow of Docker's {@code /events} (containers only), running while at least one stream is registered.
 * Lifecycle actions of a container (start, restart, stop, die, kill, pause, unpause, oom, destroy) are pushed to
 * the subscribers of that container's streams as {@code container:event {container, containerId, action,
 * exitCode?, time}}. When the engine goes away the follow is retried every {@code reconnectEvery} from the time
 * of the last event seen.
 */
public final class ContainerEvents implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ContainerEvents.class);
    private static final Set<String> PUSHED = Set.of("start", "restart", "stop", "die", "kill", "pause", "unpause", "oom", "destroy");

    private record Registration(String containerRef, StreamSink sink) {
    }

    private final DockerClients docker;
    private final ScheduledExecutorService scheduler;
    private final long retryMillis;
    private final Map<String, Set<Registration>> byContainer = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private DockerFollow<Event> follow;
    private long lastEventSeconds;
    private long lastEventNanos;
    private boolean closed;

    public ContainerEvents(DockerClients docker, ScheduledExecutorService scheduler, DockerSettings settings) {
        this.docker = docker;
        this.scheduler = scheduler;
        this.retryMillis = settings.reconnectEvery().toMillis();
    }

    public void register(String containerId, String containerRef, StreamSink sink) {
        byContainer.computeIfAbsent(containerId, id -> ConcurrentHashMap.newKeySet()).add(new Registration(containerRef, sink));
        synchronized (lock) {
            if (follow == null && !closed) {
                start();
            }
        }
    }

    public void unregister(String containerId, StreamSink sink) {
        byContainer.computeIfPresent(containerId, (id, set) -> {
            set.removeIf(r -> r.sink() == sink);
            return set.isEmpty() ? null : set;
        });
        DockerFollow<Event> stop = null;
        synchronized (lock) {
            if (byContainer.isEmpty() && follow != null) {
                stop = follow;
                follow = null;
            }
        }
        if (stop != null) {
            stop.cancel(scheduler);
        }
    }

    private void start() {
        if (lastEventSeconds == 0) {
            lastEventSeconds = System.currentTimeMillis() / 1000;
        }
        DockerFollow<Event> callback = new DockerFollow<>(docker, "events", "*") {
            @Override
            protected void item(Event event) {
                dispatch(event);
            }

            @Override
            protected void ended(Throwable error) {
                if (error != null) {
                    log.debug("events follow ended error={}", error.toString());
                }
                ContainerEvents.this.ended(this);
            }
        };
        follow = callback;
        callback.start(docker.streams().eventsCmd().withEventTypeFilter(EventType.CONTAINER)
                .withSince(Long.toString(lastEventSeconds)));
    }

    private void ended(DockerFollow<Event> callback) {
        synchronized (lock) {
            if (follow != callback) {
                return;
            }
            follow = null;
        }
        scheduler.schedule(this::restartIfNeeded, retryMillis, TimeUnit.MILLISECONDS);
    }

    private void restartIfNeeded() {
        synchronized (lock) {
            if (follow == null && !closed && !byContainer.isEmpty()) {
                start();
            }
        }
    }

    private void dispatch(Event event) {
        Long nanos = event.getTimeNano();
        if (nanos != null) {
            if (nanos <= lastEventNanos) {
                return; // replayed: a reconnect asks for events since the last second seen
            }
            lastEventNanos = nanos;
        }
        if (event.getTime() != null) {
            lastEventSeconds = Math.max(lastEventSeconds, event.getTime());
        }
        String action = event.getAction() != null ? event.getAction() : event.getStatus();
        String id = event.getActor() != null ? event.getActor().getId() : event.getId();
        if (action == null || id == null || !PUSHED.contains(action)) {
            return;
        }
        Set<Registration> registrations = byContainer.get(id);
        if (registrations == null) {
            return;
        }
        for (Registration r : registrations) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("container", r.containerRef());
            payload.put("containerId", id);
            payload.put("action", action);
            Map<String, String> attributes = event.getActor() == null ? null : event.getActor().getAttributes();
            if (attributes != null && attributes.get("exitCode") != null) {
                payload.put("exitCode", Long.parseLong(attributes.get("exitCode")));
            }
            payload.put("time", event.getTime());
            r.sink().emit("container:event", payload);
        }
    }

    @Override
    public void close() {
        DockerFollow<Event> stop;
        synchronized (lock) {
            closed = true;
            stop = follow;
            follow = null;
        }
        if (stop != null) {
            stop.cancel(scheduler);
        }
    }
}
