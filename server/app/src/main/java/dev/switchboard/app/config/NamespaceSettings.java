package dev.switchboard.app.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.switchboard.app.NamespaceRegistry;
import dev.switchboard.namespaces.core.NamespaceDefinition;
import dev.switchboard.namespaces.core.SwitchboardNamespace;
import dev.switchboard.namespaces.deployments.DeploymentsNamespace;
import dev.switchboard.namespaces.files.FilesNamespace;
import dev.switchboard.namespaces.mcp.McpNamespace;
import dev.switchboard.namespaces.services.ServicesNamespace;
import dev.switchboard.socketio.RoomAccess;

/**
 * The namespaces of {@link NamespaceRegistry}, each with its settings read from the same variables as the rest of
 * the configuration (every namespace's, whichever run: the list of variables stays one); {@code NAMESPACES} chooses
 * which namespaces run.
 */
public record NamespaceSettings(Set<String> enabled, List<NamespaceDefinition.Configured<?>> all, RoomAccess rooms) {

    public boolean enabled(String namespace) {
        return enabled.contains(namespace);
    }

    /** The registered namespaces NAMESPACES lets run, in registry order. */
    public List<SwitchboardNamespace> enabledNamespaces() {
        return all.stream().filter(n -> enabled(n.name())).map(SwitchboardNamespace.class::cast).toList();
    }

    /** Whether a registered namespace says it is sensitive (an exposed server without auth refuses it). */
    public boolean sensitive(String namespace) {
        return all.stream().anyMatch(n -> n.name().equals(namespace) && n.sensitive());
    }

    /** The settings of one registered namespace. */
    public <S> S settings(NamespaceDefinition<S> definition) {
        for (NamespaceDefinition.Configured<?> configured : all) {
            if (configured.definition() == definition) {
                @SuppressWarnings("unchecked")
                S settings = (S) configured.settings();
                return settings;
            }
        }
        throw new IllegalArgumentException("not registered: " + definition.name());
    }

    static NamespaceSettings parse(ConfigParser p) {
        Set<String> enabled = enabled(p);
        List<NamespaceDefinition.Configured<?>> all = new ArrayList<>();
        for (NamespaceDefinition<?> definition : NamespaceRegistry.definitions()) {
            all.add(definition.configure(p));
        }
        return new NamespaceSettings(enabled, List.copyOf(all), rooms(p));
    }

    /**
     * ROOM_PATTERNS: the rooms a client may ask to be in (a /mcp join, a /services serviceId, a /deployments process
     * room, a /ws channel's room), as globs, each optionally for some namespaces ({@code project:*@/mcp}); default
     * {@code *}. Rooms the server assigns are never joinable whatever the patterns say (see {@link RoomAccess}).
     * MAX_ROOMS_PER_NAMESPACE: rooms with members per namespace on this node beyond which a client's request for a
     * new room is LIMIT_EXCEEDED.
     */
    private static RoomAccess rooms(ConfigParser p) {
        int maxRooms = p.intInRange("MAX_ROOMS_PER_NAMESPACE", RoomAccess.DEFAULT_MAX_ROOMS, 1, 10_000_000);
        List<String> entries = p.list("ROOM_PATTERNS");
        if (entries == null) {
            return RoomAccess.anyRoom().withMaxRooms(maxRooms);
        }
        try {
            return new RoomAccess(RoomAccess.parsePatterns(entries)).withMaxRooms(maxRooms);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("ROOM_PATTERNS", e.getMessage());
        }
    }

    private static Set<String> enabled(ConfigParser p) {
        List<String> all = NamespaceRegistry.definitions().stream().map(NamespaceDefinition::name).toList();
        List<String> listed = p.list("NAMESPACES");
        if (listed == null) {
            return new LinkedHashSet<>(all);
        }
        Set<String> enabled = new LinkedHashSet<>();
        for (String name : listed) {
            String ns = name.startsWith("/") ? name : "/" + name;
            if (!all.contains(ns)) {
                throw new ConfigException("NAMESPACES", "unknown namespace '" + name + "'; known: " + all);
            }
            enabled.add(ns);
        }
        return Set.copyOf(enabled);
    }

    @Override
    public String toString() {
        URI forwardUrl = settings(McpNamespace.DEFINITION).forwardUrl();
        return "namespaces=" + enabled + " filesRoots=" + settings(FilesNamespace.DEFINITION).roots() + " mcpForward="
                + (forwardUrl == null ? "off" : forwardUrl.getHost())
                + " dockerHost=" + settings(ServicesNamespace.DEFINITION).dockerHost()
                + " pm2Home=" + settings(DeploymentsNamespace.DEFINITION).pm2Home();
    }
}
