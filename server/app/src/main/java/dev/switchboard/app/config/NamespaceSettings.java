package dev.switchboard.app.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
        return new NamespaceSettings(enabled(p), SystemSettings.read(p), FilesSettings.read(p), McpSettings.read(p),
                DockerSettings.read(p), Pm2Settings.read(p), rooms(p));
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

    @Override
    public String toString() {
        return "namespaces=" + enabled + " filesRoots=" + files.roots() + " mcpForward="
                + (mcp.forwardUrl() == null ? "off" : mcp.forwardUrl().getHost()) + " dockerHost=" + docker.dockerHost()
                + " pm2Home=" + pm2.pm2Home();
    }
}
