package dev.switchboard.namespaces.deployments;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.switchboard.namespaces.core.SettingsReader;
import dev.switchboard.namespaces.logs.LogLimits;

/**
 * Settings of /deployments.
 *
 * @param pm2Home        PM2's home: {@code rpc.sock} and {@code logs/} (env {@code PM2_HOME}, default {@code ~/.pm2})
 * @param pollEvery      process list polling period over rpc.sock (env {@code PM2_POLL_MS}, 1000 ms)
 * @param defaultTail    env {@code LOGS_DEFAULT_TAIL}, 100
 * @param maxTail        env {@code LOGS_MAX_TAIL}, 1000 (also the ring kept per stream)
 * @param maxBatch       env {@code LOGS_BATCH_LINES}, 500
 * @param flushEvery     env {@code LOGS_FLUSH_MS}, 50 ms
 * @param maxLineBytes   env {@code LOGS_MAX_LINE_BYTES}, 16384
 * @param tailEvery      log file polling period (env {@code DEPLOYMENT_LOG_POLL_MS}, 100 ms)
 * @param rpcTimeout     timeout of one PM2 RPC call (env {@code PM2_RPC_TIMEOUT_MS}, 3000 ms)
 * @param logFiles       plain log files of services not under PM2 (env {@code DEPLOYMENT_LOGS=name:/path,...})
 */
public record Pm2Settings(Path pm2Home, Duration pollEvery, int defaultTail, int maxTail, int maxBatch,
                          Duration flushEvery, int maxLineBytes, Duration tailEvery, Duration rpcTimeout,
                          Map<String, Path> logFiles) {

    public Pm2Settings {
        if (defaultTail < 0 || maxTail < 1 || defaultTail > maxTail || maxBatch < 1 || maxLineBytes < 64) {
            throw new IllegalArgumentException("need 0 <= defaultTail <= maxTail, maxBatch >= 1, maxLineBytes >= 64");
        }
        logFiles = Map.copyOf(logFiles);
    }

    public static Pm2Settings defaults() {
        LogLimits logs = LogLimits.DEFAULTS;
        return new Pm2Settings(Path.of(System.getProperty("user.home"), ".pm2"), Duration.ofSeconds(1), logs.defaultTail(),
                logs.maxTail(), logs.maxBatch(), logs.flushEvery(), logs.maxLineBytes(), Duration.ofMillis(100),
                Duration.ofSeconds(3), Map.of());
    }

    public Pm2Settings withPm2Home(Path home) {
        return new Pm2Settings(home, pollEvery, defaultTail, maxTail, maxBatch, flushEvery, maxLineBytes, tailEvery, rpcTimeout, logFiles);
    }

    public Pm2Settings withLogFiles(Map<String, Path> files) {
        return new Pm2Settings(pm2Home, pollEvery, defaultTail, maxTail, maxBatch, flushEvery, maxLineBytes, tailEvery, rpcTimeout, files);
    }

    public Path rpcSocket() {
        return pm2Home.resolve("rpc.sock");
    }

    /** Reads the variables named above (LOGS_* through {@link LogLimits#read}); unset ones keep their default. */
    public static Pm2Settings read(SettingsReader r) {
        Pm2Settings d = defaults();
        Map<String, Path> logFiles;
        try {
            logFiles = parseLogFiles(r.string("DEPLOYMENT_LOGS", ""));
        } catch (IllegalArgumentException e) {
            throw r.invalid("DEPLOYMENT_LOGS", e.getMessage());
        }
        String home = r.optional("PM2_HOME");
        LogLimits logs = LogLimits.read(r);
        return r.checked("LOGS_MAX_TAIL", () -> new Pm2Settings(
                home == null ? d.pm2Home() : Path.of(home),
                r.millis("PM2_POLL_MS", d.pollEvery().toMillis(), 1),
                logs.defaultTail(),
                logs.maxTail(),
                logs.maxBatch(),
                logs.flushEvery(),
                logs.maxLineBytes(),
                r.millis("DEPLOYMENT_LOG_POLL_MS", d.tailEvery().toMillis(), 1),
                r.millis("PM2_RPC_TIMEOUT_MS", d.rpcTimeout().toMillis(), 1),
                logFiles));
    }

    /** {@code name:/path,name2:/path2}; a name may not contain ':' or ','. */
    public static Map<String, Path> parseLogFiles(String spec) {
        Map<String, Path> files = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.indexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new IllegalArgumentException("DEPLOYMENT_LOGS entry must be name:/path, got '" + entry.trim() + "'");
            }
            files.put(entry.substring(0, colon).trim(), Path.of(entry.substring(colon + 1).trim()));
        }
        return files;
    }

    /** The log limits announced to clients. */
    public LogLimits logLimits() {
        return new LogLimits(defaultTail, maxTail, maxBatch, flushEvery, maxLineBytes);
    }
}
