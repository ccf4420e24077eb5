package dev.switchboard.namespaces.core;

import java.time.Duration;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/**
 * The real Node socket.io-client of a namespace integration test class: one driver, started before its first test
 * and closed after its last. Use as a {@code static @RegisterExtension} field.
 */
public final class NodeClients implements BeforeAllCallback, AfterAllCallback {
    private NodeClientDriver driver;

    @Override
    public void beforeAll(ExtensionContext context) {
        driver = NodeClientDriver.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (driver != null) {
            driver.close();
        }
    }

    /** A client of the server's namespace, connected. */
    public NodeSocket connect(NamespaceTestServer server, Duration wait) {
        return connect(server, ClientOptions.defaults(), wait);
    }

    public NodeSocket connect(NamespaceTestServer server, ClientOptions options, Duration wait) {
        NodeSocket socket = driver.connect(server.url(), server.namespace().name(), options);
        socket.awaitConnect(wait);
        return socket;
    }
}
