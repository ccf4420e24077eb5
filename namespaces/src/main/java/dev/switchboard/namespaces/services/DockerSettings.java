package dev.switchboard.namespaces.services;

import java.time.Duration;

import dev.switchboard.namespaces.core.SettingsReader;
import dev.switchboard.namespaces.logs.LogLimits;

/**
 * Settings of /services.
 *
 * @param dockerHost      Docker engine address (env {@code DOCKER_HOST}, default {@code unix:///var/run/docker.sock})
 * @param defaultTail     lines of history a log subscriber gets when it gives no {@code tail} (env {@code LOGS_DEFAULT_TAIL}, 100)
 * @param maxTail         largest {@code tail} accepted, also the ring of recent lines kept per stream (env {@code LOGS_MAX_TAIL}, 1000)
 * @param maxBatch        lines per {@code logs} event at most (env {@code LOGS_BATCH_LINES}, 500)
 * @param flushEvery      a partial batch is sent after this long (env {@code LOGS_FLUSH_MS}, 50 ms)
 * @param maxLineBytes    longer lines are cut and marked (env {@code LOGS_MAX_LINE_BYTES}, 16384)
 * @param requestTimeout  timeout of non-streaming engine calls (env {@code DOCKER_REQUEST_TIMEOUT_MS}, 10 s)
 * @param reconnectEvery  retry period while the engine is unreachable mid-stream (env {@code DOCKER_RECONNECT_MS}, 1 s)
 */
public record DockerSettings(String dockerHost, int defaultTail, int maxTail, int maxBatch, Duration flushEvery,
                             int maxLineBytes, Duration requestTimeout, Duration reconnectEvery) {

    public DockerSettings {
        if (defaultTail < 0 || maxTail < 1 || defaultTail > maxTail) {
            throw new IllegalArgumentException("need 0 <= defaultTail <= maxTail, maxTail >= 1");
        }
        if (maxBatch < 1 || maxLineBytes < 64) {
            throw new IllegalArgumentException("maxBatch >= 1 and maxLineBytes >= 64 required");
        }
    }

    public static DockerSettings defaults() {
        LogLimits logs = LogLimits.DEFAULTS;
        return new DockerSettings("unix:///var/run/docker.sock", logs.defaultTail(), logs.maxTail(), logs.maxBatch(),
                logs.flushEvery(), logs.maxLineBytes(), Duration.ofSeconds(10), Duration.ofSeconds(1));
    }

    /** Reads the variables named above (LOGS_* through {@link LogLimits#read}); unset ones keep their default. */
    public static DockerSettings read(SettingsReader r) {
        DockerSettings d = defaults();
        LogLimits logs = LogLimits.read(r);
        return r.checked("LOGS_MAX_TAIL", () -> new DockerSettings(
                r.string("DOCKER_HOST", d.dockerHost()),
                logs.defaultTail(),
                logs.maxTail(),
                logs.maxBatch(),
                logs.flushEvery(),
                logs.maxLineBytes(),
                r.millis("DOCKER_REQUEST_TIMEOUT_MS", d.requestTimeout().toMillis(), 1),
                r.millis("DOCKER_RECONNECT_MS", d.reconnectEvery().toMillis(), 1)));
    }

    /** The log limits announced to clients. */
    public LogLimits logLimits() {
        return new LogLimits(defaultTail, maxTail, maxBatch, flushEvery, maxLineBytes);
    }
}
