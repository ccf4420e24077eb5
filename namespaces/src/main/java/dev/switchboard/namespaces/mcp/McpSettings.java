package dev.switchboard.namespaces.mcp;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

import dev.switchboard.namespaces.core.SettingsReader;

/**
 * Settings of /mcp.
 *
 * @param forwardUrl        backend webhook that receives client events other than join/leave (MCP_FORWARD_URL;
 *                          null = off, the default)
 * @param forwardToken      sent as {@code Authorization: Bearer ...} to the webhook when set (MCP_FORWARD_TOKEN)
 * @param queueCapacity     events waiting for the webhook; past it the oldest is dropped (MCP_FORWARD_QUEUE, 1000)
 * @param queueMaxBytes     bytes waiting for the webhook; past it the oldest is dropped (MCP_FORWARD_QUEUE_BYTES, 16 MiB)
 * @param maxAttempts       tries per event, first one included (MCP_FORWARD_ATTEMPTS, 5)
 * @param initialBackoff    wait before the first retry, doubled per retry up to 10 s (MCP_FORWARD_BACKOFF_MS, 250)
 * @param requestTimeout    per HTTP request (MCP_FORWARD_TIMEOUT_MS, 5000)
 * @param maxRoomsPerSocket rooms one socket may be in (MCP_MAX_ROOMS, 64)
 * @param historySize       events kept per room for replay on join (MCP_HISTORY_SIZE, 100; 0 = off)
 * @param historyMaxAge     age beyond which a kept event is dropped (MCP_HISTORY_MAX_AGE_MS, 10 min; 0 = none)
 * @param historyMaxBytes   encoded events kept over all rooms, oldest dropped first (MCP_HISTORY_MAX_BYTES, 64 MiB)
 */
public record McpSettings(URI forwardUrl, String forwardToken, int queueCapacity, long queueMaxBytes, int maxAttempts,
                          Duration initialBackoff, Duration requestTimeout, int maxRoomsPerSocket,
                          int historySize, Duration historyMaxAge, long historyMaxBytes) {

    public McpSettings {
        if (queueCapacity < 1 || queueMaxBytes < 1 || maxAttempts < 1 || initialBackoff.isNegative()
                || requestTimeout.isNegative() || requestTimeout.isZero() || maxRoomsPerSocket < 1 || historySize < 0
                || historyMaxAge.isNegative() || historyMaxBytes < 1) {
            throw new IllegalArgumentException("invalid /mcp settings");
        }
        if (forwardUrl != null && !("http".equals(forwardUrl.getScheme()) || "https".equals(forwardUrl.getScheme()))) {
            throw new IllegalArgumentException("MCP_FORWARD_URL must be an http(s) URL");
        }
    }

    /** Reads the variables named above; unset ones keep their default. */
    public static McpSettings read(SettingsReader r) {
        McpSettings d = defaults();
        String url = r.optional("MCP_FORWARD_URL");
        URI forwardUrl = null;
        if (url != null) {
            try {
                forwardUrl = new URI(url);
            } catch (URISyntaxException e) {
                throw r.invalid("MCP_FORWARD_URL", "not a URL: '" + url + "'");
            }
            if (!"http".equals(forwardUrl.getScheme()) && !"https".equals(forwardUrl.getScheme())) {
                throw r.invalid("MCP_FORWARD_URL", "must be an http(s) URL");
            }
        }
        URI forward = forwardUrl;
        return r.checked("MCP_FORWARD_QUEUE", () -> new McpSettings(forward, r.optional("MCP_FORWARD_TOKEN"),
                r.intInRange("MCP_FORWARD_QUEUE", d.queueCapacity(), 1, 10_000_000),
                r.intInRange("MCP_FORWARD_QUEUE_BYTES", (int) Math.min(Integer.MAX_VALUE, d.queueMaxBytes()), 1, Integer.MAX_VALUE),
                r.intInRange("MCP_FORWARD_ATTEMPTS", d.maxAttempts(), 1, 100),
                r.millis("MCP_FORWARD_BACKOFF_MS", d.initialBackoff().toMillis(), 0),
                r.millis("MCP_FORWARD_TIMEOUT_MS", d.requestTimeout().toMillis(), 1),
                r.intInRange("MCP_MAX_ROOMS", d.maxRoomsPerSocket(), 1, 100_000),
                r.intInRange("MCP_HISTORY_SIZE", d.historySize(), 0, 100_000),
                r.millis("MCP_HISTORY_MAX_AGE_MS", d.historyMaxAge().toMillis(), 0),
                r.intInRange("MCP_HISTORY_MAX_BYTES", (int) d.historyMaxBytes(), 1024, Integer.MAX_VALUE)));
    }

    public static McpSettings defaults() {
        return new McpSettings(null, null, 1000, 16L << 20, 5, Duration.ofMillis(250), Duration.ofSeconds(5), 64,
                100, Duration.ofMinutes(10), 64L << 20);
    }

    /** The same settings keeping the last {@code size} events (0: none) of each room, none older than {@code maxAge}. */
    public McpSettings withHistory(int size, Duration maxAge) {
        return new McpSettings(forwardUrl, forwardToken, queueCapacity, queueMaxBytes, maxAttempts, initialBackoff,
                requestTimeout, maxRoomsPerSocket, size, maxAge, historyMaxBytes);
    }

    public McpSettings withForwardUrl(URI url) {
        return new McpSettings(url, forwardToken, queueCapacity, queueMaxBytes, maxAttempts, initialBackoff,
                requestTimeout, maxRoomsPerSocket, historySize, historyMaxAge, historyMaxBytes);
    }

    @Override
    public String toString() { // never print the token
        return "McpSettings[forwardUrl=" + forwardUrl + ", forwardToken=" + (forwardToken == null ? "unset" : "set")
                + ", queueCapacity=" + queueCapacity + ", queueMaxBytes=" + queueMaxBytes + ", maxAttempts=" + maxAttempts
                + ", initialBackoff=" + initialBackoff + ", requestTimeout=" + requestTimeout
                + ", maxRoomsPerSocket=" + maxRoomsPerSocket + "]";
    }
}
