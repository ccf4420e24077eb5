package dev.switchboard.emitapi;

import java.time.Duration;
import java.util.List;

/**
 * @param host                bind address of the HTTP API
 * @param port                0 = ephemeral (see {@link EmitApi#port()})
 * @param token               bearer token required on write routes and /stats; null = none required
 * @param maxBodyBytes        larger request bodies are refused with 413
 * @param maxBatchItems       larger {@code /emit/batch} arrays are refused with 413
 * @param allowedHosts        Host names accepted besides the loopback names (DNS rebinding, {@link dev.switchboard.engineio.HostCheck})
 * @param requestTimeout      time to read and answer one request; zero = unbounded ({@link ApiConnectionGuard})
 * @param maxConnectionsPerIp open connections per client address; 0 = unlimited
 * @param selectors           threads that read the port and answer POST /emit ({@link #defaultSelectors})
 */
public record EmitApiOptions(String host, int port, String token, int maxBodyBytes, int maxBatchItems,
                             List<String> allowedHosts, Duration requestTimeout, int maxConnectionsPerIp,
                             int selectors) {
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 256;

    public EmitApiOptions {
        allowedHosts = List.copyOf(allowedHosts);
        if (selectors < 1) {
            throw new IllegalArgumentException("selectors must be >= 1, got " + selectors);
        }
    }

    /** Only loopback Host names, the default deadline, connection cap and selectors. */
    public EmitApiOptions(String host, int port, String token, int maxBodyBytes, int maxBatchItems) {
        this(host, port, token, maxBodyBytes, maxBatchItems, List.of(), DEFAULT_REQUEST_TIMEOUT,
                DEFAULT_MAX_CONNECTIONS_PER_IP, defaultSelectors(Runtime.getRuntime().availableProcessors()));
    }

    /**
     * One per core. A selector answers POST /emit itself (SelectorEmitHandler), so this is how many emits, and
     * their broadcasts, run at once. Measured on 2 cores with the caller on the same machine (docs/benchmarks.md,
     * "API_SELECTORS"): one selector instead of two cut the p99 of a saturating caller from 3.9 to 2.5 ms but
     * delivered a third fewer messages per second to 100 subscribers. Four were worse on both while every emitter
     * of a namespace queued on its journal lock; since that lock was fixed, three shortened p90-p98 in probes but
     * lost on p99 and on delivery to 100 subscribers in a full run (same docs, "journal lock").
     */
    public static int defaultSelectors(int cores) {
        return Math.max(1, cores);
    }
}
