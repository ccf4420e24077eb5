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
 */
public record EmitApiOptions(String host, int port, String token, int maxBodyBytes, int maxBatchItems,
                             List<String> allowedHosts, Duration requestTimeout, int maxConnectionsPerIp) {
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 256;

    public EmitApiOptions {
        allowedHosts = List.copyOf(allowedHosts);
    }

    /** Only loopback Host names, the default deadline and connection cap. */
    public EmitApiOptions(String host, int port, String token, int maxBodyBytes, int maxBatchItems) {
        this(host, port, token, maxBodyBytes, maxBatchItems, List.of(), DEFAULT_REQUEST_TIMEOUT,
                DEFAULT_MAX_CONNECTIONS_PER_IP);
    }
}
