package dev.switchboard.app;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import dev.switchboard.app.config.NamespaceSettings;
import dev.switchboard.app.config.SwitchboardConfig;
import dev.switchboard.namespaces.core.SwitchboardNamespace;
import dev.switchboard.namespaces.deployments.DeploymentsNamespace;
import dev.switchboard.namespaces.files.FilesNamespace;
import dev.switchboard.namespaces.mcp.McpNamespace;
import dev.switchboard.namespaces.services.ServicesNamespace;
import dev.switchboard.namespaces.system.SystemNamespace;

/** The namespaces this server offers, one line each; NAMESPACES may leave some out. */
final class NamespaceRegistry {
    private NamespaceRegistry() {
    }

    static List<SwitchboardNamespace> create(SwitchboardConfig config) {
        NamespaceSettings s = config.namespaces();
        List<SwitchboardNamespace> namespaces = new ArrayList<>();
        add(namespaces, s, "/system", () -> new SystemNamespace(s.system()));
        add(namespaces, s, "/files", () -> new FilesNamespace(s.files()));
        add(namespaces, s, "/mcp", () -> new McpNamespace(s.mcp()));
        add(namespaces, s, "/services", () -> new ServicesNamespace(s.docker()));
        add(namespaces, s, "/deployments", () -> new DeploymentsNamespace(s.pm2()));
        return namespaces;
    }

    private static void add(List<SwitchboardNamespace> into, NamespaceSettings settings, String name,
                            Supplier<SwitchboardNamespace> factory) {
        if (settings.enabled(name)) {
            into.add(factory.get());
        }
    }
}
