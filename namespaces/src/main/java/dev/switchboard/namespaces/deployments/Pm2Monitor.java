package dev.switchboard.namespaces.deployments;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.namespaces.core.ProducerException;
import dev.switchboard.socketio.Namespace;

/**
 * Polls PM2's process list ({@code getMonitorData} over rpc.sock, ~1.4 ms a call) while anyone watches, and
 * turns changes into {@code process:event {deployment, id, event, status, restarts}} sent to the room named
 * after the process and to the status subscribers' room (event: online, stopping, stopped, errored, launching,
 * restart, deleted, added).
 * One poll serves every watcher (status subscribers, log streams).
 */
final class Pm2Monitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Pm2Monitor.class);

    interface Watcher {
        void processes(List<Pm2Process> processes);

        default void unavailable(String message) {
        }
    }

    private final Pm2RpcClient rpc;
    private final ScheduledExecutorService scheduler;
    private final Duration every;
    private final Namespace namespace;
    private final String statusRoom;
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
    private final Object fetchLock = new Object();
    private CompletableFuture<List<Pm2Process>> inFlight; // guarded by fetchLock
    private Map<Integer, Pm2Process> previous;
    private ScheduledFuture<?> poller;
    private boolean unavailable;

    Pm2Monitor(Pm2RpcClient rpc, ScheduledExecutorService scheduler, Duration every, Namespace namespace, String statusRoom) {
        this.rpc = rpc;
        this.scheduler = scheduler;
        this.every = every;
        this.namespace = namespace;
        this.statusRoom = statusRoom;
    }

    /**
     * The process list, from a call made now or from the one already in flight (for {@code list}, to validate a
     * subscription, and the poll): however many sockets ask at once, PM2 answers one call at a time and only the
     * caller that made it holds its thread for PM2's time (the others wait for the same answer).
     */
    List<Pm2Process> fetch() throws ProducerException {
        CompletableFuture<List<Pm2Process>> call;
        boolean mine = false;
        synchronized (fetchLock) {
            if (inFlight == null) {
                inFlight = new CompletableFuture<>();
                mine = true;
            }
            call = inFlight;
        }
        if (mine) {
            try {
                call.complete(List.copyOf(Pm2Process.fromMonitorData(rpc.call("getMonitorData", Map.of()))));
            } catch (Throwable e) {
                call.completeExceptionally(e);
            } finally {
                synchronized (fetchLock) {
                    inFlight = null;
                }
            }
        }
        try {
            return call.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ProducerException p) {
                throw p;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    synchronized void watch(Watcher watcher) {
        watchers.add(watcher);
        if (poller == null) {
            poller = scheduler.scheduleWithFixedDelay(this::poll, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    synchronized void unwatch(Watcher watcher) {
        watchers.remove(watcher);
        if (watchers.isEmpty() && poller != null) {
            poller.cancel(false);
            poller = null;
            previous = null;
        }
    }

    private void poll() {
        List<Pm2Process> now;
        try {
            now = fetch();
        } catch (ProducerException e) {
            if (!unavailable) {
                unavailable = true;
                log.warn("pm2 unreachable message={}", e.getMessage());
                for (Watcher w : watchers) {
                    w.unavailable(e.getMessage());
                }
            }
            return;
        } catch (RuntimeException e) {
            log.warn("pm2 poll failed", e);
            return;
        }
        unavailable = false;
        diff(now);
        for (Watcher w : watchers) {
            try {
                w.processes(now);
            } catch (RuntimeException e) {
                log.warn("pm2 watcher failed", e);
            }
        }
    }

    private void diff(List<Pm2Process> now) {
        Map<Integer, Pm2Process> current = new HashMap<>();
        for (Pm2Process p : now) {
            current.put(p.id(), p);
        }
        Map<Integer, Pm2Process> before = previous;
        previous = current;
        if (before == null) {
            return;
        }
        for (Pm2Process p : now) {
            Pm2Process old = before.get(p.id());
            if (old == null) {
                push(p, "added");
            } else if (p.restarts() > old.restarts() || (p.startedAt() != old.startedAt() && p.online() && old.online())) {
                push(p, "restart");
            } else if (!p.status().equals(old.status())) {
                push(p, p.status());
            }
        }
        for (Pm2Process old : before.values()) {
            if (!current.containsKey(old.id())) {
                push(old, "deleted");
            }
        }
    }

    private void push(Pm2Process p, String event) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("deployment", p.name());
        payload.put("id", p.id());
        payload.put("event", event);
        payload.put("status", "deleted".equals(event) ? "deleted" : p.status());
        payload.put("restarts", p.restarts());
        namespace.to(p.name(), statusRoom).emit("process:event", payload);
        log.info("pm2 process event deployment={} id={} event={}", p.name(), p.id(), event);
    }

    @Override
    public synchronized void close() {
        watchers.clear();
        if (poller != null) {
            poller.cancel(false);
            poller = null;
        }
    }
}
