package dev.switchboard.namespaces.services;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.model.Frame;

import dev.switchboard.namespaces.core.StreamSink;
import dev.switchboard.namespaces.core.Upstream;
import dev.switchboard.socketio.Socket;
import dev.switchboard.namespaces.logs.LogAdmissions;
import dev.switchboard.namespaces.logs.LogFanout;
import dev.switchboard.namespaces.logs.LogLine;

/**
 * One Docker log follow shared by every subscriber of a {@link LogTopic}.
 *
 * <p>Opening reads the last {@code maxTail} lines once (not following) into the {@link LogFanout} ring, so each
 * subscriber gets its own {@code tail} from there. The follow starts at the first admission with
 * {@code since=<second of the last line>}; lines the ring already holds (same or older timestamp) are skipped,
 * so nothing is sent twice and nothing written in between is lost. When the follow ends, the container is
 * inspected: still running (the engine was restarted) → follow again from the last timestamp, after a
 * {@code logs:notice}; removed or exited for good → {@code stream:closed {container, reason, exitCode}};
 * engine unreachable → {@code logs:notice} and retry every {@code reconnectEvery}.
 */
final class ContainerLogStream implements Upstream {
    private static final Logger log = LoggerFactory.getLogger(ContainerLogStream.class);

    private final DockerClients docker;
    private final DockerSettings settings;
    private final ScheduledExecutorService scheduler;
    private final ContainerEvents events;
    private final LogTopic topic;
    private final String containerId;
    private final StreamSink sink;
    private final LogFanout fanout;

    // follow state, touched by one follow callback thread at a time (and by loadBacklog before any follow)
    private String lastTimestamp;
    private int linesAtLastTimestamp;
    private String skipTimestamp;
    private int skipRemaining;

    private final Object lifecycle = new Object();
    private DockerFollow<Frame> follow;
    private boolean followStarted;
    private boolean closed;
    private boolean outageAnnounced;
    private boolean waitAnnounced;

    ContainerLogStream(DockerClients docker, DockerSettings settings, ScheduledExecutorService scheduler,
                       ContainerEvents events, LogTopic topic, String containerId, StreamSink sink) {
        this.docker = docker;
        this.settings = settings;
        this.scheduler = scheduler;
        this.events = events;
        this.topic = topic;
        this.containerId = containerId;
        this.sink = sink;
        this.fanout = new LogFanout("container", topic.container(), sink, settings.maxTail(), settings.maxBatch(),
                topic.timestamps(), true, scheduler, settings.flushEvery());
    }

    /** Reads the recent history into the ring (blocking, bounded by the request timeout). */
    void loadBacklog() {
        DockerFrameDecoder decoder = new DockerFrameDecoder(settings.maxLineBytes(),
                (stream, ts, text) -> {
                    track(ts);
                    fanout.remember(new LogLine(stream, text, ts));
                });
        LogContainerCmd cmd = docker.requests().logContainerCmd(containerId)
                .withTimestamps(true).withStdOut(topic.stdout()).withStdErr(topic.stderr())
                .withFollowStream(false).withTail(settings.maxTail());
        RuntimeException[] failure = new RuntimeException[1];
        DockerFollow<Frame> read = new DockerFollow<>(docker, "backlog", containerId) {
            @Override
            protected void item(Frame frame) {
                decoder.accept(frame);
            }

            @Override
            protected void ended(Throwable error) {
                if (error != null) {
                    failure[0] = error instanceof RuntimeException r ? r : new IllegalStateException(error);
                }
            }
        };
        read.start(cmd);
        try {
            if (!read.awaitEnd(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                read.cancel(scheduler);
                throw new IllegalStateException("reading the log backlog timed out");
            }
        } catch (InterruptedException e) {
            read.cancel(scheduler);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        // a partial last line stays out of the backlog: the follow sends it whole
        skipTimestamp = lastTimestamp;
        skipRemaining = linesAtLastTimestamp;
    }

    @Override
    public void admit(Socket subscriber, Runnable join) {
        admit(subscriber, join, topic.container());
    }

    /** Admits a subscriber that named the container {@code label}: its tail and end carry that name. */
    void admit(Socket subscriber, Runnable join, String label) {
        LogAdmissions.Admission admission = LogAdmissions.take(subscriber, settings.defaultTail());
        fanout.admit(subscriber, join, admission.tail(), admission.sinceTime(),
                payload -> SharedFollows.relabel(payload, label));
        synchronized (lifecycle) {
            if (!followStarted && !closed) {
                followStarted = true;
                events.register(containerId, topic.container(), sink);
                startFollow();
            }
        }
    }

    private void startFollow() {
        LogContainerCmd cmd = docker.streams().logContainerCmd(containerId)
                .withTimestamps(true).withStdOut(topic.stdout()).withStdErr(topic.stderr())
                .withFollowStream(true);
        if (lastTimestamp != null) {
            cmd.withSince((int) Instant.parse(lastTimestamp).getEpochSecond());
        }
        DockerFrameDecoder decoder = new DockerFrameDecoder(settings.maxLineBytes(), this::live);
        DockerFollow<Frame> callback = new DockerFollow<>(docker, "logs", containerId) {
            @Override
            protected void item(Frame frame) {
                decoder.accept(frame);
            }

            @Override
            protected void ended(Throwable error) {
                if (error != null) {
                    log.debug("log follow failed container={} error={}", containerId, error.toString());
                }
                followEnded(this, decoder);
            }
        };
        follow = callback;
        callback.start(cmd);
    }

    private void live(String stream, String timestamp, String text) {
        if (skipTimestamp != null && timestamp != null) {
            int order = timestamp.compareTo(skipTimestamp);
            if (order < 0 || (order == 0 && skipRemaining-- > 0)) {
                return;
            }
            skipTimestamp = null;
        }
        track(timestamp);
        fanout.add(new LogLine(stream, text, timestamp));
    }

    private void track(String timestamp) {
        if (timestamp == null) {
            return;
        }
        if (timestamp.equals(lastTimestamp)) {
            linesAtLastTimestamp++;
        } else {
            lastTimestamp = timestamp;
            linesAtLastTimestamp = 1;
        }
    }

    private void followEnded(DockerFollow<Frame> callback, DockerFrameDecoder decoder) {
        synchronized (lifecycle) {
            if (closed || callback != follow) {
                return;
            }
            follow = null;
        }
        scheduler.execute(() -> decide(decoder));
    }

    /** After a follow ended: resume, wait, or close (runs on the scheduler, never on the Docker thread). */
    private void decide(DockerFrameDecoder lastDecoder) {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
        }
        ContainerFate fate = ContainerFate.of(docker, containerId);
        switch (fate.kind()) {
            case RUNNING -> resume();
            case UNREACHABLE -> {
                if (!outageAnnounced) {
                    outageAnnounced = true;
                    log.warn("docker engine unreachable, log stream waiting container={}", containerId);
                    fanout.notice("docker engine unreachable; the stream resumes when it is back");
                }
                retryLater();
            }
            case WAITING_RESTART -> {
                if (!waitAnnounced) {
                    waitAnnounced = true;
                    fanout.notice("container stopped (" + fate.detail() + "); waiting for it to restart");
                }
                retryLater();
            }
            case EXITED, REMOVED -> {
                lastDecoder.finish();
                Map<String, Object> payload = new LinkedHashMap<>();
                payload.put("container", topic.container());
                payload.put("containerId", containerId);
                payload.put("reason", fate.kind() == ContainerFate.Kind.REMOVED ? "removed" : "exited");
                payload.put("exitCode", fate.exitCode());
                if (fanout.end(payload)) {
                    events.unregister(containerId, sink);
                    log.info("log stream ended container={} reason={} exitCode={}", containerId, payload.get("reason"), fate.exitCode());
                    sink.closed(payload);
                }
            }
        }
    }

    private void resume() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            if (outageAnnounced || waitAnnounced) {
                fanout.notice("stream resumed");
                log.info("log stream resumed container={} since={}", containerId, lastTimestamp);
            }
            outageAnnounced = false;
            waitAnnounced = false;
            skipTimestamp = lastTimestamp;
            skipRemaining = linesAtLastTimestamp;
            startFollow();
        }
    }

    private void retryLater() {
        scheduler.schedule(() -> decide(new DockerFrameDecoder(settings.maxLineBytes(), this::live)),
                settings.reconnectEvery().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        DockerFollow<Frame> current;
        synchronized (lifecycle) {
            closed = true;
            current = follow;
            follow = null;
        }
        fanout.stop();
        events.unregister(containerId, sink);
        if (current != null) {
            current.cancel(scheduler);
        }
    }
}
