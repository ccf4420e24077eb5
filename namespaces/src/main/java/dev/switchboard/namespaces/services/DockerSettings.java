package dev.switchboard.namespaces.services;

import java.time.Duration;
import java.util.Map;

import dev.switchboard.namespaces.core.EnvVars;
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
        return new DockerSettings("unix:///var/run/docker.sock", 100, 1000, 500, Duration.ofMillis(50), 16 * 1024,
                Duration.ofSeconds(10), Duration.ofSeconds(1));
    }

    /** Reads the variables named above; absent ones keep their default. */
    public static DockerSettings fromEnv(Map<String, String> env) {
        DockerSettings d = defaults();
        return new DockerSettings(
                env.getOrDefault("DOCKER_HOST", d.dockerHost()),
                EnvVars.integer(env, "LOGS_DEFAULT_TAIL", d.defaultTail()),
                EnvVars.integer(env, "LOGS_MAX_TAIL", d.maxTail()),
                EnvVars.integer(env, "LOGS_BATCH_LINES", d.maxBatch()),
                Duration.ofMillis(EnvVars.integer(env, "LOGS_FLUSH_MS", (int) d.flushEvery().toMillis())),
                EnvVars.integer(env, "LOGS_MAX_LINE_BYTES", d.maxLineBytes()),
                Duration.ofMillis(EnvVars.integer(env, "DOCKER_REQUEST_TIMEOUT_MS", (int) d.requestTimeout().toMillis())),
                Duration.ofMillis(EnvVars.integer(env, "DOCKER_RECONNECT_MS", (int) d.reconnectEvery().toMillis())));
    }

    /** The log limits announced to clients. */
    public LogLimits logLimits() {
        return new LogLimits(defaultTail, maxTail, maxBatch, flushEvery, maxLineBytes);
    }
}
