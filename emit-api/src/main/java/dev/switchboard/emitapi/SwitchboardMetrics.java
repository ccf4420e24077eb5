package dev.switchboard.emitapi;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.SocketIoMetricsTracker;
import dev.switchboard.socketio.SocketIoMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The server's meters, exposed as Prometheus text on {@code GET /metrics}:
 * {@code switchboard_connections{namespace}}, {@code switchboard_events_in_total{namespace}},
 * {@code switchboard_events_out_total{namespace}}, {@code switchboard_emits_total{namespace}},
 * {@code switchboard_refusals_total{reason}}, {@code switchboard_active_streams},
 * {@code switchboard_build_info{version,commit,java}}, {@code switchboard_backend_up{backend}}, the engine's
 * histograms ({@link DeliveryMeters}), plus JVM and process meters.
 */
public final class SwitchboardMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, NamespaceMetrics> namespaces = new ConcurrentHashMap<>();
    private final Map<String, Counter> refusals = new ConcurrentHashMap<>();
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final DeliveryMeters delivery;

    public SwitchboardMetrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        delivery = new DeliveryMeters(registry);
    }

    /**
     * The engine's broadcast and connect timings, for every namespace: a tracker that records only those
     * ({@link SocketIoMetricsTracker#broadcastDelivered}, {@link SocketIoMetricsTracker#connectAnswered}).
     */
    public SocketIoMetricsTracker deliveryTracker() {
        return delivery;
    }

    /** {@code switchboard_build_info{version, commit, java} 1}: which build runs, for dashboards and alerts. */
    public void buildInfo(String version, String commit) {
        Gauge.builder("switchboard.build.info", () -> 1)
                .description("Always 1; the labels say which build runs")
                .tag("version", version).tag("commit", commit).tag("java", Runtime.version().toString())
                .strongReference(true).register(registry);
    }

    /** {@code switchboard_backend_up{backend}}: 1 while {@code up} says the backend answers, else 0. Read at scrape
     *  time: {@code up} must not block (it reads a state kept by whoever talks to the backend). */
    public void backendUp(String backend, BooleanSupplier up) {
        Gauge.builder("switchboard.backend.up", () -> up.getAsBoolean() ? 1 : 0)
                .description("1 while the backend (docker, pm2, redis, postgres) answers, 0 when it does not")
                .tag("backend", backend).strongReference(true).register(registry);
    }

    /** The meters of one namespace (registered on first call, including its connection gauge). */
    public NamespaceMetrics namespace(Namespace namespace) {
        NamespaceMetrics known = namespaces.get(namespace.name()); // every emit: no capturing lambda once registered
        if (known != null) {
            return known;
        }
        return namespaces.computeIfAbsent(namespace.name(), name -> {
            Gauge.builder("switchboard.connections", namespace, Namespace::socketCount)
                    .description("Sockets connected to the namespace on this node")
                    .tag("namespace", name).strongReference(true).register(registry);
            return new NamespaceMetrics(
                    Counter.builder("switchboard.events.in").description("Events received from clients")
                            .tag("namespace", name).register(registry),
                    Counter.builder("switchboard.events.out").description("Messages handed to sockets")
                            .tag("namespace", name).register(registry),
                    Counter.builder("switchboard.emits").description("Broadcasts requested through POST /emit")
                            .tag("namespace", name).register(registry));
        });
    }

    /** Meters of a namespace already registered, or null. */
    public NamespaceMetrics namespace(String name) {
        return namespaces.get(name);
    }

    /** Counts one refused connection, event or request; {@code reason} is a small fixed vocabulary. */
    public void refusal(String reason) {
        refusals.computeIfAbsent(reason, r -> Counter.builder("switchboard.refusals")
                .description("Refused connections, events and API requests, by reason")
                .tag("reason", r).register(registry)).increment();
    }

    public long refusalCount(String reason) {
        Counter counter = refusals.get(reason);
        return counter == null ? 0 : (long) counter.count();
    }

    /** Registers a gauge read at scrape time. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).strongReference(true).register(registry);
    }

    /** The engine's own counters, read at scrape time: volatile drops, slow consumers, recoveries. */
    public void engineCounters(Supplier<SocketIoMetrics> engine) {
        counter("switchboard.volatile.dropped", "Volatile packets dropped for sockets over their soft bound",
                engine, SocketIoMetrics::droppedVolatile);
        counter("switchboard.slow.consumer.disconnects", "Sessions closed at the outbound hard bound",
                engine, SocketIoMetrics::slowConsumerDisconnects);
        counter("switchboard.memory.shed.connections", "Connections closed because the JVM ran short of memory for what"
                + " they held unread (MEMORY_SHED_PERCENT)", engine, SocketIoMetrics::memoryShedConnections);
        counter("switchboard.recovery.recovered", "Reconnects that recovered their session and missed packets",
                engine, SocketIoMetrics::recoveredSessions);
        counter("switchboard.recovery.unrecovered", "Reconnects that asked for recovery and got a new session",
                engine, SocketIoMetrics::unrecoveredReconnects);
    }

    private void counter(String name, String description, Supplier<SocketIoMetrics> engine,
                         ToLongFunction<SocketIoMetrics> value) {
        // Micrometer holds the state object weakly: use this registry owner, and capture the supplier in the function
        FunctionCounter.builder(name, this, self -> value.applyAsLong(engine.get())).description(description)
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Prometheus text exposition format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
