package dev.switchboard.namespaces.system;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import com.fasterxml.jackson.databind.JsonNode;

import oshi.SystemInfo;

import dev.switchboard.namespaces.core.ClientAcks;
import dev.switchboard.namespaces.core.ClientErrors;
import dev.switchboard.namespaces.core.NamespaceContext;
import dev.switchboard.namespaces.core.ProducerException;
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
    private final StatsDemand demand = new StatsDemand();
    private final ScheduledExecutorService sampling;
    private final StatsProducer producer;
    private final SharedStreams<Long> streams;

    private SystemNamespace(SystemSettings settings, NamespaceContext context) {
        this.settings = settings;
        this.context = context;
        sampling = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "system-sampler");
            thread.setDaemon(true);
            return thread;
        });
        producer = new StatsProducer(new SystemInfo(), demand, settings, sampling);
        streams = context.sharedStreams("stats", producer, String::valueOf);
        Map<String, Object> greeting = greeting();
        context.namespace().onConnection(socket -> {
            socket.on("subscribe:stats", this::subscribe);
            socket.on("unsubscribe:stats", this::unsubscribe);
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
        greeting.put("events", List.of("subscribe:stats", "unsubscribe:stats"));
        greeting.put("emits", List.of("stats", "error"));
        greeting.put("metrics", StatsRequest.wireNames(Metric.ALL));
        greeting.put("interval", interval);
        greeting.put("history", settings.history());
        return greeting;
    }

    private void subscribe(Event event) {
        Socket socket = event.socket();
        StatsRequest request;
        try {
            request = StatsRequest.parse(event.arg(0), settings);
        } catch (ProducerException e) {
            ClientErrors.send(event, e);
            return;
        }
        demand.put(request.interval(), socket.id(), request.metrics());
        try {
            streams.subscribe(socket, request.interval());
        } catch (ProducerException e) {
            demand.remove(request.interval(), socket.id());
            ClientErrors.send(event, e);
            return;
        }
        if (!socket.connected()) { // disconnected while subscribing: its cleanup may have run already
            unsubscribeAll(socket);
            return;
        }
        if (event.wantsAck()) {
            Map<String, Object> ack = new LinkedHashMap<>();
            ack.put("ok", true);
            ack.put("interval", request.interval());
            ack.put("metrics", StatsRequest.wireNames(request.metrics()));
            event.ack(ack);
        }
    }

    private void unsubscribe(Event event) {
        Socket socket = event.socket();
        JsonNode arg = event.arg(0);
        List<Long> intervals;
        try {
            if (arg.isMissingNode() || arg.isNull() || (arg.isObject() && !arg.has("interval"))) {
                intervals = demand.intervalsOf(socket.id());
            } else if (arg.isObject()) {
                intervals = List.of(StatsRequest.parseInterval(arg.get("interval"), settings));
            } else {
                throw new ProducerException(StatsRequest.BAD_REQUEST, "unsubscribe:stats expects {interval?} or nothing");
            }
        } catch (ProducerException e) {
            ClientErrors.send(event, e);
            return;
        }
        List<Long> left = new ArrayList<>();
        for (long interval : intervals) {
            if (streams.unsubscribe(socket, interval)) {
                left.add(interval);
            }
            demand.remove(interval, socket.id());
        }
        ClientAcks.ok(event, "unsubscribed", left);
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
