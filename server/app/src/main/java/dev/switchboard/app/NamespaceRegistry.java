package dev.switchboard.app;

import java.util.List;

import dev.switchboard.namespaces.core.NamespaceDefinition;
import dev.switchboard.namespaces.deployments.DeploymentsNamespace;
import dev.switchboard.namespaces.files.FilesNamespace;
import dev.switchboard.namespaces.mcp.McpNamespace;
import dev.switchboard.namespaces.services.ServicesNamespace;
import dev.switchboard.namespaces.system.SystemNamespace;

/**
 * The one list of the namespaces this server offers, one line each. Each declares its name, whether it is
 * sensitive and how it reads its settings; the configuration reads every one's settings, NAMESPACES may leave some
 * out of what runs.
 */
public final class NamespaceRegistry {
    private static final List<NamespaceDefinition<?>> DEFINITIONS = List.of(
            SystemNamespace.DEFINITION,
            FilesNamespace.DEFINITION,
            McpNamespace.DEFINITION,
            ServicesNamespace.DEFINITION,
            DeploymentsNamespace.DEFINITION);

    private NamespaceRegistry() {
    }

    /** Every registered namespace, in registry order. */
    public static List<NamespaceDefinition<?>> definitions() {
        return DEFINITIONS;
    }
}
