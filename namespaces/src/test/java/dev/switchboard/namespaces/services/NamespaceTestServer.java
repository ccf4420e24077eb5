package dev.switchboard.namespaces.services;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.namespaces.core.NamespaceContext;
import dev.switchboard.namespaces.core.SwitchboardNamespace;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.SocketIoServer;

/** A real SocketIoServer on an ephemeral loopback port with one namespace installed. */
public final class NamespaceTestServer implements AutoCloseable {
    private final SocketIoServer io;
    private final SwitchboardNamespace namespace;
    private final ScheduledExecutorService scheduler;

    private NamespaceTestServer(SocketIoServer io, SwitchboardNamespace namespace, ScheduledExecutorService scheduler) {
        this.io = io;
        this.namespace = namespace;
        this.scheduler = scheduler;
    }

    public static NamespaceTestServer start(SwitchboardNamespace namespace) {
        SocketIoServer io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build())
                .build();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
        namespace.install(io.of(namespace.name()), new NamespaceContext(scheduler));
        io.start();
        return new NamespaceTestServer(io, namespace, scheduler);
    }

    public String url() {
        return "http://127.0.0.1:" + io.port();
    }

    public Namespace namespace() {
        return io.of(namespace.name());
    }

    @Override
    public void close() {
        try {
            io.close(Duration.ofSeconds(2));
        } finally {
            namespace.close();
            scheduler.shutdownNow();
        }
    }
}
