package dev.switchboard.namespaces.deployments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.namespaces.core.Producer;
import dev.switchboard.namespaces.core.ProducerException;
import dev.switchboard.namespaces.core.StreamSink;
import dev.switchboard.namespaces.core.Upstream;
import dev.switchboard.namespaces.logs.LogAdmissions;
import dev.switchboard.namespaces.logs.LogFanout;
import dev.switchboard.namespaces.logs.LogLine;
import dev.switchboard.socketio.Socket;

/**
 * Tails the log files of one deployment, shared by its subscribers: for a PM2 process the files PM2 names
 * ({@code pm_out_log_path}/{@code pm_err_log_path} of every instance with that name), for a DEPLOYMENT_LOGS entry
 * its one file (as stdout). The backlog (last {@code maxTail} lines, stdout's then stderr's: the files carry no
 * timestamps to interleave them) fills the ring each subscriber's tail comes from. A PM2 process that disappears
 * from PM2's list ends the stream with {@code stream:closed {deployment, reason: "deleted"}}.
 */
final class DeploymentLogProducer implements Producer<DeploymentLogTopic> {
    private static final Logger log = LoggerFactory.getLogger(DeploymentLogProducer.class);

    private final Pm2Settings settings;
    private final Pm2Monitor monitor;
    private final ScheduledExecutorService scheduler;

    DeploymentLogProducer(Pm2Settings settings, Pm2Monitor monitor, ScheduledExecutorService scheduler) {
        this.settings = settings;
        this.monitor = monitor;
        this.scheduler = scheduler;
    }

    @Override
    public Upstream open(DeploymentLogTopic topic, StreamSink sink) throws ProducerException {
        Path plain = settings.logFiles().get(topic.deployment());
        List<Source> sources = new ArrayList<>();
        boolean underPm2 = plain == null;
        if (plain != null) {
            if (topic.stdout()) {
                sources.add(new Source(LogLine.STDOUT, plain));
            }
        } else {
            Set<String> out = new LinkedHashSet<>();
            Set<String> err = new LinkedHashSet<>();
            for (Pm2Process p : monitor.fetch()) {
                if (p.name().equals(topic.deployment())) {
                    if (p.outLog() != null) {
                        out.add(p.outLog());
                    }
                    if (p.errLog() != null) {
                        err.add(p.errLog());
                    }
                }
            }
            if (out.isEmpty() && err.isEmpty()) {
                throw new ProducerException("NOT_FOUND", "no such deployment: " + topic.deployment());
            }
            if (topic.stdout()) {
                out.forEach(f -> sources.add(new Source(LogLine.STDOUT, Path.of(f))));
            }
            if (topic.stderr()) {
                err.forEach(f -> sources.add(new Source(LogLine.STDERR, Path.of(f))));
            }
        }
        Stream stream = new Stream(topic, sink, underPm2);
        try {
            stream.start(sources);
        } catch (IOException e) {
            stream.close();
            throw new ProducerException("BACKEND_UNAVAILABLE", "cannot read the log of " + topic.deployment() + ": " + e.getMessage(), e);
        }
        return stream;
    }

    private record Source(String stream, Path path) {
    }

    private final class Stream implements Upstream, Pm2Monitor.Watcher {
        private final DeploymentLogTopic topic;
        private final StreamSink sink;
        private final boolean underPm2;
        private final LogFanout fanout;
        private final List<LogFileTailer> tailers = new ArrayList<>();
        private ScheduledFuture<?> poller;
        private boolean seenInList;
        private boolean tailersClosed;

        Stream(DeploymentLogTopic topic, StreamSink sink, boolean underPm2) {
            this.topic = topic;
            this.sink = sink;
            this.underPm2 = underPm2;
            this.fanout = new LogFanout("deployment", topic.deployment(), sink, settings.maxTail(), settings.maxBatch(),
                    false, false, scheduler, settings.flushEvery());
        }

        void start(List<Source> sources) throws IOException {
            for (Source source : sources) {
                LogFileTailer tailer = new LogFileTailer(source.path(), settings.maxLineBytes(),
                        line -> fanout.add(new LogLine(source.stream(), line, null)));
                for (String line : tailer.open(settings.maxTail(), settings.maxLineBytes())) {
                    fanout.remember(new LogLine(source.stream(), line, null));
                }
                tailers.add(tailer);
            }
            poller = scheduler.scheduleWithFixedDelay(this::pollFiles, settings.tailEvery().toMillis(),
                    settings.tailEvery().toMillis(), TimeUnit.MILLISECONDS);
            if (underPm2) {
                monitor.watch(this);
            }
        }

        private synchronized void pollFiles() {
            if (tailersClosed) {
                return;
            }
            for (LogFileTailer tailer : tailers) {
                try {
                    tailer.poll();
                } catch (IOException e) {
                    log.debug("log tail failed deployment={} error={}", topic.deployment(), e.toString());
                } catch (RuntimeException e) {
                    log.warn("log tail failed deployment={}", topic.deployment(), e);
                }
            }
        }

        @Override
        public void admit(Socket subscriber, Runnable join) {
            LogAdmissions.Admission admission = LogAdmissions.take(subscriber, settings.defaultTail());
            fanout.admit(subscriber, join, admission.tail(), null);
        }

        @Override
        public void processes(List<Pm2Process> processes) {
            for (Pm2Process p : processes) {
                if (p.name().equals(topic.deployment())) {
                    seenInList = true;
                    return;
                }
            }
            // gone from PM2: read what it wrote last, then close
            pollFiles();
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("deployment", topic.deployment());
            payload.put("reason", "deleted");
            payload.put("exitCode", null);
            if (fanout.end(payload)) {
                stopTailing();
                log.info("deployment log stream ended deployment={} reason=deleted seen={}", topic.deployment(), seenInList);
                sink.closed(payload);
            }
        }

        @Override
        public void unavailable(String message) {
            fanout.notice("PM2 daemon unreachable: " + message);
        }

        private void stopTailing() {
            if (poller != null) {
                poller.cancel(false);
            }
            if (underPm2) {
                monitor.unwatch(this);
            }
            // the tailers are closed on the scheduler so an in-flight poll finishes first
            scheduler.execute(this::closeTailers);
        }

        private synchronized void closeTailers() {
            tailersClosed = true;
            tailers.forEach(LogFileTailer::close);
        }

        @Override
        public void close() {
            fanout.stop();
            stopTailing();
        }
    }
}
