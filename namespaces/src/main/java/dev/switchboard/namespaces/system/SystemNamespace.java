package dev.switchboard.namespaces.system;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import com.fasterxml.jackson.databind.JsonNode;

import oshi.SystemInfo;

import dev.switchboard.namespaces.core.ClientEvents;
import dev.switchboard.namespaces.core.NamespaceContext;
import dev.switchboard.namespaces.core.ProducerException;
import dev.switchboard.namespaces.core.Reply;
import dev.switchboard.namespaces.core.NamespaceDefinition;
import dev.switchboard.namespaces.core.RunningNamespace;
import dev.switchboard.namespaces.core.SharedStreams;
import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.Socket;

/**
 * /system: host stats sampled with OSHI.
 *
 * <p>{@code subscribe:stats {interval?, metrics?}} adds the socket to the sampler of that interval (one per
 * distinct interval, shared). A sample holds the union of the metrics the interval's subscribers asked for.
 * {@code unsubscribe:stats {interval?}} leaves one interval, or all without one.
 *
 * <p>Sampling runs on a thread of its own: a full sample with the process list takes ~70-100 ms, too long for
 * the server's shared scheduler.
 */
public final class SystemNamespace implements RunningNamespace {
    public static final NamespaceDefinition<SystemSettings> DEFINITION =
            new NamespaceDefinition<>("/system", false, SystemSettings::read, SystemNamespace::new);

    private final SystemSettings settings;
    private final NamespaceContext context;
    private final StatsDemand demand;
    private final ScheduledExecutorService sampling;
    private final StatsProducer producer;
    private final SharedStreams<Long> streams;
    private final ClientEvents events = new ClientEvents()
            .on("subscribe:stats", this::parseSubscribe, this::subscribe)
            .on("unsubscribe:stats", this::parseUnsubscribe, this::unsubscribe);

    private SystemNamespace(SystemSettings settings, NamespaceContext context) {
        this.settings = settings;
        this.context = context;
        this.demand = new StatsDemand(settings.defaultIntervalMs(), settings.minIntervalMs());
        sampling = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "system-sampler");
            thread.setDaemon(true);
            return thread;
        });
        producer = new StatsProducer(new SystemInfo(), demand, settings, sampling);
        streams = context.sharedStreams("stats", producer, String::valueOf);
        Map<String, Object> greeting = greeting();
        context.namespace().onConnection(socket -> {
            events.attach(socket);
            socket.onDisconnect(reason -> unsubscribeAll(socket));
            socket.emit("connected", greeting);
        });
    }

    private Map<String, Object> greeting() {
        Map<String, Object> interval = new LinkedHashMap<>();
        interval.put("default", settings.defaultIntervalMs());
        interval.put("min", settings.minIntervalMs());
        interval.put("max", settings.maxIntervalMs());
        Map<String, Object> greeting = new LinkedHashMap<>();
        greeting.put("namespace", context.namespace().name());
        greeting.put("events", events.names());
        greeting.put("emits", List.of("stats", "error"));
        greeting.put("metrics", StatsRequest.wireNames(Metric.ALL));
        greeting.put("interval", interval);
        greeting.put("history", settings.history());
        return greeting;
    }

    private StatsRequest parseSubscribe(Event event) throws ProducerException {
        return StatsRequest.parse(event.arg(0), settings);
    }

    private Reply subscribe(Socket socket, StatsRequest request) throws ProducerException {
        if (!demand.put(request.interval(), socket.id(), request.metrics())) {
            throw new ProducerException("LIMIT_EXCEEDED", "the host is sampled at enough distinct intervals; share one of "
                    + demand.intervals() + " ms or the default " + settings.defaultIntervalMs() + " ms");
        }
        try {
            streams.subscribe(socket, request.interval());
        } catch (ProducerException e) {
            demand.remove(request.interval(), socket.id());
            throw e;
        }
        if (!socket.connected()) { // disconnected while subscribing: its cleanup may have run already
            unsubscribeAll(socket);
            return Reply.none();
        }
        return Reply.ok("interval", request.interval()).with("metrics", StatsRequest.wireNames(request.metrics()));
    }

    /** The interval to leave; null: every interval of the socket. */
    private Long parseUnsubscribe(Event event) throws ProducerException {
        JsonNode arg = event.arg(0);
        if (arg.isMissingNode() || arg.isNull() || (arg.isObject() && !arg.has("interval"))) {
            return null;
        }
        if (arg.isObject()) {
            return StatsRequest.parseInterval(arg.get("interval"), settings);
        }
        throw new ProducerException(StatsRequest.BAD_REQUEST, "unsubscribe:stats expects {interval?} or nothing");
    }

    private Reply unsubscribe(Socket socket, Long interval) {
        List<Long> intervals = interval == null ? demand.intervalsOf(socket.id()) : List.of(interval);
        List<Long> left = new ArrayList<>();
        for (long each : intervals) {
            if (streams.unsubscribe(socket, each)) {
                left.add(each);
            }
            demand.remove(each, socket.id());
        }
        return Reply.ok("unsubscribed", left);
    }

    private void unsubscribeAll(Socket socket) {
        streams.unsubscribeAll(socket);
        for (long interval : demand.intervalsOf(socket.id())) {
            demand.remove(interval, socket.id());
        }
    }

    @Override
    public int activeStreams() {
        return context.activeStreams();
    }

    /** Samplers running now (equals {@link #activeStreams()}; exposed for tests). */
    int runningSamplers() {
        return producer.running();
    }

    StatsSampler sampler(long interval) {
        return producer.sampler(interval);
    }

    @Override
    public void close() {
        sampling.shutdownNow();
    }
}
