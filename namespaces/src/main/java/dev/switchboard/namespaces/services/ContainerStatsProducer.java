package dev.switchboard.namespaces.services;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Statistics;

import dev.switchboard.namespaces.core.Producer;
import dev.switchboard.namespaces.core.ProducerException;
import dev.switchboard.namespaces.core.StreamSink;
import dev.switchboard.namespaces.core.Upstream;

/**
 * One Docker stats stream (about one sample a second, Docker's own pace) per container id, shared by its
 * subscribers under every name they gave it ({@link SharedFollows}); samples are sent volatile (a slow client
 * skips samples rather than queueing them). When the stream ends the container is inspected: exited/removed → {@code stream:closed}; engine unreachable or
 * restarting → {@code stats:notice} and retry.
 */
public final class ContainerStatsProducer implements Producer<String> {
    private final DockerClients docker;
    private final ScheduledExecutorService scheduler;
    private final ContainerEvents events;
    private final long retryMillis;
    private final SharedFollows<String, StatsStream> follows = new SharedFollows<>(this::follow);

    public ContainerStatsProducer(DockerClients docker, DockerSettings settings, ScheduledExecutorService scheduler,
                                  ContainerEvents events) {
        this.docker = docker;
        this.scheduler = scheduler;
        this.events = events;
        this.retryMillis = settings.reconnectEvery().toMillis();
    }

    /** Docker stats streams open now, one per container id however many names it was asked by. */
    int openFollows() {
        return follows.openUpstreams();
    }

    @Override
    public Upstream open(String container, StreamSink sink) throws ProducerException {
        InspectContainerResponse inspect;
        try {
            inspect = docker.requests().inspectContainerCmd(container).exec();
        } catch (RuntimeException e) {
            throw DockerErrors.translate(container, e);
        }
        if (inspect.getState() == null || !Boolean.TRUE.equals(inspect.getState().getRunning())) {
            throw new ProducerException("NOT_RUNNING", "container is not running: " + container);
        }
        SharedFollows<String, StatsStream>.View view = follows.attach(inspect.getId(), container, sink);
        return view::detach;
    }

    private StatsStream follow(String containerId, String name, StreamSink sink) {
        StatsStream stream = new StatsStream(containerId, containerId, sink);
        events.register(containerId, containerId, sink);
        stream.start();
        return stream;
    }

    private final class StatsStream implements Upstream {
        private final String container;
        private final String containerId;
        private final StreamSink sink;
        private DockerFollow<Statistics> follow;
        private boolean closed;
        private boolean noticed;

        StatsStream(String container, String containerId, StreamSink sink) {
            this.container = container;
            this.containerId = containerId;
            this.sink = sink;
        }

        synchronized void start() {
            if (closed) {
                return;
            }
            DockerFollow<Statistics> callback = new DockerFollow<>(docker, "stats", containerId) {
                @Override
                protected void item(Statistics statistics) {
                    if (statistics.getRead() != null && statistics.getRead().startsWith("0001-")) {
                        // Docker keeps streaming empty samples for a container that stopped
                        StatsStream.this.ended(this);
                        cancel(scheduler);
                        return;
                    }
                    sink.emitVolatile("stats", ContainerStats.payload(container, statistics));
                }

                @Override
                protected void ended(Throwable error) {
                    StatsStream.this.ended(this);
                }
            };
            follow = callback;
            callback.start(docker.streams().statsCmd(containerId));
        }

        private void ended(DockerFollow<Statistics> callback) {
            synchronized (this) {
                if (closed || follow != callback) {
                    return;
                }
                follow = null;
            }
            scheduler.execute(this::decide);
        }

        private void decide() {
            synchronized (this) {
                if (closed) {
                    return;
                }
            }
            ContainerFate fate = ContainerFate.of(docker, containerId);
            switch (fate.kind()) {
                case RUNNING -> {
                    if (noticed) {
                        noticed = false;
                        sink.emit("stats:notice", notice("stream resumed"));
                    }
                    start();
                }
                case UNREACHABLE, WAITING_RESTART -> {
                    if (!noticed) {
                        noticed = true;
                        sink.emit("stats:notice", notice(fate.kind() == ContainerFate.Kind.UNREACHABLE
                                ? "docker engine unreachable; the stream resumes when it is back"
                                : "container stopped; waiting for it to restart"));
                    }
                    scheduler.schedule(this::decide, retryMillis, TimeUnit.MILLISECONDS);
                }
                case EXITED, REMOVED -> {
                    synchronized (this) {
                        if (closed) {
                            return;
                        }
                        closed = true;
                    }
                    events.unregister(containerId, sink);
                    Map<String, Object> payload = new LinkedHashMap<>();
                    payload.put("container", container);
                    payload.put("containerId", containerId);
                    payload.put("reason", fate.kind() == ContainerFate.Kind.REMOVED ? "removed" : "exited");
                    payload.put("exitCode", fate.exitCode());
                    sink.closed(payload);
                }
            }
        }

        private Map<String, Object> notice(String message) {
            Map<String, Object> notice = new LinkedHashMap<>();
            notice.put("container", container);
            notice.put("message", message);
            return notice;
        }

        @Override
        public void close() {
            DockerFollow<Statistics> current;
            synchronized (this) {
                closed = true;
                current = follow;
                follow = null;
            }
            events.unregister(containerId, sink);
            if (current != null) {
                current.cancel(scheduler);
            }
        }
    }
}
