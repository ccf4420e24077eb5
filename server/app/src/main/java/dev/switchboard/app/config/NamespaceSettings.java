package dev.switchboard.app.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import dev.switchboard.namespaces.deployments.Pm2Settings;
import dev.switchboard.namespaces.files.FilesSettings;
import dev.switchboard.namespaces.mcp.McpSettings;
import dev.switchboard.namespaces.services.DockerSettings;
import dev.switchboard.namespaces.system.SystemSettings;
import dev.switchboard.socketio.RoomAccess;

/**
 * The namespaces' settings, read from the same variables as the rest of the configuration (defaults are each
 * settings record's {@code defaults()}); {@code NAMESPACES} chooses which namespaces run.
 */
public record NamespaceSettings(Set<String> enabled, SystemSettings system, FilesSettings files, McpSettings mcp,
                                DockerSettings docker, Pm2Settings pm2, RoomAccess rooms) {

    static final List<String> ALL = List.of("/system", "/files", "/mcp", "/services", "/deployments");

    public boolean enabled(String namespace) {
        return enabled.contains(namespace);
    }

    static NamespaceSettings parse(ConfigParser p) {
        return new NamespaceSettings(enabled(p), system(p), files(p), mcp(p), docker(p), pm2(p), rooms(p));
    }

    /**
     * ROOM_PATTERNS: the rooms a client may ask to be in (a /mcp join, a /services serviceId, a /deployments process
     * room, a /ws channel's room), as globs, each optionally for some namespaces ({@code project:*@/mcp}); default
     * {@code *}. Rooms the server assigns are never joinable whatever the patterns say (see {@link RoomAccess}).
     */
    private static RoomAccess rooms(ConfigParser p) {
        List<String> entries = p.list("ROOM_PATTERNS");
        if (entries == null) {
            return RoomAccess.anyRoom();
        }
        try {
            return new RoomAccess(RoomAccess.parsePatterns(entries));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("ROOM_PATTERNS", e.getMessage());
        }
    }

    private static Set<String> enabled(ConfigParser p) {
        List<String> listed = p.list("NAMESPACES");
        if (listed == null) {
            return new LinkedHashSet<>(ALL);
        }
        Set<String> enabled = new LinkedHashSet<>();
        for (String name : listed) {
            String ns = name.startsWith("/") ? name : "/" + name;
            if (!ALL.contains(ns)) {
                throw new ConfigException("NAMESPACES", "unknown namespace '" + name + "'; known: " + ALL);
            }
            enabled.add(ns);
        }
        return Set.copyOf(enabled);
    }

    private static SystemSettings system(ConfigParser p) {
        SystemSettings d = SystemSettings.defaults();
        long min = p.millis("SYSTEM_MIN_INTERVAL_MS", d.minIntervalMs(), 1).toMillis();
        long max = p.millis("SYSTEM_MAX_INTERVAL_MS", d.maxIntervalMs(), 1).toMillis();
        if (max < min) {
            throw new ConfigException("SYSTEM_MAX_INTERVAL_MS", "must not be below SYSTEM_MIN_INTERVAL_MS (" + min + ")");
        }
        long dflt = p.millis("SYSTEM_DEFAULT_INTERVAL_MS", Math.max(min, Math.min(max, d.defaultIntervalMs())), 1).toMillis();
        if (dflt < min || dflt > max) {
            throw new ConfigException("SYSTEM_DEFAULT_INTERVAL_MS", "must be between SYSTEM_MIN_INTERVAL_MS (" + min
                    + ") and SYSTEM_MAX_INTERVAL_MS (" + max + "), got " + dflt);
        }
        return build("SYSTEM_DEFAULT_INTERVAL_MS", () -> new SystemSettings(
                p.intInRange("SYSTEM_HISTORY", d.history(), 0, 100_000), dflt, min, max,
                p.intInRange("SYSTEM_TOP_PROCESSES", d.topProcesses(), 0, 1000)));
    }

    private static FilesSettings files(ConfigParser p) {
        FilesSettings d = FilesSettings.defaults();
        List<String> roots = p.list("FILES_ROOTS");
        List<Path> paths = new ArrayList<>();
        if (roots != null) {
            for (String root : roots) {
                Path path = Path.of(root);
                if (!path.isAbsolute()) {
                    throw new ConfigException("FILES_ROOTS", "'" + root + "' is not an absolute path");
                }
                paths.add(path.normalize());
            }
        }
        return build("FILES_MAX_WATCHES", () -> new FilesSettings(paths,
                p.intInRange("FILES_MAX_WATCHES", d.maxWatchesPerSocket(), 1, 10_000),
                p.millis("FILES_DEBOUNCE_MS", d.debounce().toMillis(), 0),
                p.intInRange("FILES_MAX_ENTRIES", d.maxEntriesPerWatch(), 1, 100_000_000)));
    }

    private static McpSettings mcp(ConfigParser p) {
        McpSettings d = McpSettings.defaults();
        String url = p.optional("MCP_FORWARD_URL");
        URI forwardUrl = null;
        if (url != null) {
            try {
                forwardUrl = new URI(url);
            } catch (URISyntaxException e) {
                throw new ConfigException("MCP_FORWARD_URL", "not a URL: '" + url + "'");
            }
            if (!"http".equals(forwardUrl.getScheme()) && !"https".equals(forwardUrl.getScheme())) {
                throw new ConfigException("MCP_FORWARD_URL", "must be an http(s) URL");
            }
        }
        URI forward = forwardUrl;
        return build("MCP_FORWARD_QUEUE", () -> new McpSettings(forward, p.optional("MCP_FORWARD_TOKEN"),
                p.intInRange("MCP_FORWARD_QUEUE", d.queueCapacity(), 1, 10_000_000),
                p.intInRange("MCP_FORWARD_QUEUE_BYTES", (int) Math.min(Integer.MAX_VALUE, d.queueMaxBytes()), 1, Integer.MAX_VALUE),
                p.intInRange("MCP_FORWARD_ATTEMPTS", d.maxAttempts(), 1, 100),
                p.millis("MCP_FORWARD_BACKOFF_MS", d.initialBackoff().toMillis(), 0),
                p.millis("MCP_FORWARD_TIMEOUT_MS", d.requestTimeout().toMillis(), 1),
                p.intInRange("MCP_MAX_ROOMS", d.maxRoomsPerSocket(), 1, 100_000),
                p.intInRange("MCP_HISTORY_SIZE", d.historySize(), 0, 100_000),
                p.millis("MCP_HISTORY_MAX_AGE_MS", d.historyMaxAge().toMillis(), 0)));
    }

    /** LOGS_MAX_TAIL, then LOGS_DEFAULT_TAIL, which may not exceed it. */
    private static int[] tails(ConfigParser p, int defaultTail, int maxTail) {
        int max = p.intInRange("LOGS_MAX_TAIL", maxTail, 1, 1_000_000);
        int dflt = p.intInRange("LOGS_DEFAULT_TAIL", Math.min(defaultTail, max), 0, 1_000_000);
        if (dflt > max) {
            throw new ConfigException("LOGS_DEFAULT_TAIL", "must not exceed LOGS_MAX_TAIL (" + max + "), got " + dflt);
        }
        return new int[] {dflt, max};
    }

    private static DockerSettings docker(ConfigParser p) {
        DockerSettings d = DockerSettings.defaults();
        int[] tails = tails(p, d.defaultTail(), d.maxTail());
        return build("LOGS_MAX_TAIL", () -> new DockerSettings(
                p.string("DOCKER_HOST", d.dockerHost()),
                tails[0],
                tails[1],
                p.intInRange("LOGS_BATCH_LINES", d.maxBatch(), 1, 1_000_000),
                p.millis("LOGS_FLUSH_MS", d.flushEvery().toMillis(), 1),
                p.intInRange("LOGS_MAX_LINE_BYTES", d.maxLineBytes(), 64, 16 << 20),
                p.millis("DOCKER_REQUEST_TIMEOUT_MS", d.requestTimeout().toMillis(), 1),
                p.millis("DOCKER_RECONNECT_MS", d.reconnectEvery().toMillis(), 1)));
    }

    private static Pm2Settings pm2(ConfigParser p) {
        Pm2Settings d = Pm2Settings.defaults();
        Map<String, Path> logFiles;
        try {
            logFiles = Pm2Settings.parseLogFiles(p.string("DEPLOYMENT_LOGS", ""));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("DEPLOYMENT_LOGS", e.getMessage());
        }
        String home = p.optional("PM2_HOME");
        int[] tails = tails(p, d.defaultTail(), d.maxTail());
        return build("LOGS_MAX_TAIL", () -> new Pm2Settings(
                home == null ? d.pm2Home() : Path.of(home),
                p.millis("PM2_POLL_MS", d.pollEvery().toMillis(), 1),
                tails[0],
                tails[1],
                p.intInRange("LOGS_BATCH_LINES", d.maxBatch(), 1, 1_000_000),
                p.millis("LOGS_FLUSH_MS", d.flushEvery().toMillis(), 1),
                p.intInRange("LOGS_MAX_LINE_BYTES", d.maxLineBytes(), 64, 16 << 20),
                p.millis("DEPLOYMENT_LOG_POLL_MS", d.tailEvery().toMillis(), 1),
                p.millis("PM2_RPC_TIMEOUT_MS", d.rpcTimeout().toMillis(), 1),
                logFiles));
    }

    /** Runs a settings constructor; its own consistency checks become a ConfigException naming {@code variable}. */
    private static <T> T build(String variable, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(variable, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "namespaces=" + enabled + " filesRoots=" + files.roots() + " mcpForward="
                + (mcp.forwardUrl() == null ? "off" : mcp.forwardUrl().getHost()) + " dockerHost=" + docker.dockerHost()
                + " pm2Home=" + pm2.pm2Home();
    }
}
