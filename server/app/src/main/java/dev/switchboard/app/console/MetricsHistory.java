package dev.switchboard.app.console;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the operator console charts: one sample every {@link #INTERVAL} of the server's own meters, the last
 * {@link #CAPACITY} kept (15 minutes). A sample holds connections and events in/out per second per namespace,
 * refusals per second by kind (admission, auth, rate, other), slow-consumer cuts, backend states (1 up, 0 down:
 * docker, pm2, redis, postgres, whichever this node uses) and /ws connections. Read from the Micrometer registry,
 * so it shows exactly what /metrics does.
 */
public final class MetricsHistory {
    public static final Duration INTERVAL = Duration.ofSeconds(1);
    public static final int CAPACITY = 900;
    private static final Logger log = LoggerFactory.getLogger(MetricsHistory.class);

    /** One point in time; rates are per second over the interval before it. */
    public record Sample(long t, Map<String, Integer> connections, Map<String, Double> eventsIn,
                         Map<String, Double> eventsOut, Map<String, Double> refusals, double cuts,
                         Map<String, Integer> backends, int ws) {
    }

    private final MeterRegistry registry;
    private final IntSupplier wsConnections;
    private final LongSupplier clock;
    private final int capacity;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private Map<String, Double> lastTotals; // counter totals at the previous sample, by key
    private long lastAt;

    public MetricsHistory(MeterRegistry registry, IntSupplier wsConnections) {
        this(registry, wsConnections, System::currentTimeMillis, CAPACITY);
    }

    MetricsHistory(MeterRegistry registry, IntSupplier wsConnections, LongSupplier clock, int capacity) {
        this.registry = registry;
        this.wsConnections = wsConnections;
        this.clock = clock;
        this.capacity = capacity;
    }

    /** Samples now and then every {@link #INTERVAL} on {@code scheduler} until it is shut down. */
    public void start(ScheduledExecutorService scheduler) {
        scheduler.scheduleAtFixedRate(() -> {
            try {
                sample();
            } catch (RuntimeException e) { // a meter that throws must not end the schedule
                log.debug("event=history_sample_failed", e);
            }
        }, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Takes one sample (the first only sets the counters' baseline: its rates are 0). */
    synchronized void sample() {
        long now = clock.getAsLong();
        Map<String, Double> totals = counterTotals();
        double seconds = lastTotals == null ? 0 : Math.max(0.001, (now - lastAt) / 1000.0);
        Map<String, Double> in = new TreeMap<>();
        Map<String, Double> out = new TreeMap<>();
        Map<String, Double> refusals = new TreeMap<>();
        for (String kind : List.of("admission", "auth", "rate", "other")) {
            refusals.put(kind, 0.0);
        }
        double cuts = 0;
        for (Map.Entry<String, Double> total : totals.entrySet()) {
            double rate = rate(total.getKey(), total.getValue(), seconds);
            String[] key = total.getKey().split("\u0000", 2);
            switch (key[0]) {
                case "in" -> in.put(key[1], rate);
                case "out" -> out.put(key[1], rate);
                case "refusal" -> refusals.merge(refusalKind(key[1]), rate, Double::sum);
                default -> cuts = rate * seconds; // cuts in the interval: a count, not a rate
            }
        }
        refusals.replaceAll((kind, rate) -> round(rate));
        Sample sample = new Sample(now, gauges("switchboard.connections", "namespace"), in, out, refusals,
                Math.round(cuts), gauges("switchboard.backend.up", "backend"), wsConnections.getAsInt());
        lastTotals = totals;
        lastAt = now;
        samples.addLast(sample);
        while (samples.size() > capacity) {
            samples.removeFirst();
        }
    }

    /** The samples taken after {@code sinceMillis} (all kept when 0), oldest first. */
    public synchronized List<Sample> since(long sinceMillis) {
        List<Sample> newer = new ArrayList<>();
        for (Sample sample : samples) {
            if (sample.t() > sinceMillis) {
                newer.add(sample);
            }
        }
        return newer;
    }

    int capacity() {
        return capacity;
    }

    /** Sorts the engine's and the app's refusal reasons into the four kinds the console charts. */
    static String refusalKind(String reason) {
        if (reason.startsWith("engine_") || reason.equals("ip_limit") || reason.startsWith("api_too_many")) {
            return "admission";
        }
        if (reason.equals("auth") || reason.equals("handshake") || reason.equals("api_unauthorized")
                || reason.equals("console_login")) {
            return "auth";
        }
        if (reason.startsWith("rate")) {
            return "rate";
        }
        return "other";
    }

    private double rate(String key, double total, double seconds) {
        Double before = lastTotals == null ? null : lastTotals.get(key);
        if (seconds == 0 || before == null) {
            return lastTotals == null ? 0 : round(total / seconds); // a counter born since: all of it is new
        }
        return round(Math.max(0, total - before) / seconds);
    }

    private Map<String, Double> counterTotals() {
        Map<String, Double> totals = new HashMap<>();
        for (Counter c : registry.find("switchboard.events.in").counters()) {
            totals.put("in\u0000" + c.getId().getTag("namespace"), c.count());
        }
        for (Counter c : registry.find("switchboard.events.out").counters()) {
            totals.put("out\u0000" + c.getId().getTag("namespace"), c.count());
        }
        for (Counter c : registry.find("switchboard.refusals").counters()) {
            totals.put("refusal\u0000" + c.getId().getTag("reason"), c.count());
        }
        for (FunctionCounter c : registry.find("switchboard.slow.consumer.disconnects").functionCounters()) {
            totals.put("cuts\u0000", c.count());
        }
        return totals;
    }

    private Map<String, Integer> gauges(String name, String tag) {
        Map<String, Integer> values = new TreeMap<>();
        for (Gauge g : registry.find(name).gauges()) {
            double value = g.value();
            values.put(g.getId().getTag(tag), Double.isNaN(value) ? 0 : (int) value);
        }
        return values;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
