package dev.switchboard.namespaces.core;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.namespaces.core.NamespaceContext;
import dev.switchboard.namespaces.core.SwitchboardNamespace;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.RoomAccess;
import dev.switchboard.socketio.SocketIoServer;

/** A real SocketIoServer on a free loopback port with one Switchboard namespace installed (shared by the
 *  /system, /files and /mcp integration tests). */
public final class NamespaceTestServer implements AutoCloseable {
    private final SocketIoServer io;
    private final Namespace namespace;
    private final RunningNamespace running;
    private final ScheduledExecutorService scheduler;

    private NamespaceTestServer(SwitchboardNamespace installed, RoomAccess rooms) {
        this.scheduler = Executors.newScheduledThreadPool(1, r -> {
            Thread thread = new Thread(r, "test-namespace-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        this.io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build())
                .build();
        this.namespace = io.of(installed.name());
        this.running = installed.install(new NamespaceContext(namespace, scheduler, rooms));
        io.start();
    }

    public static NamespaceTestServer start(SwitchboardNamespace namespace) {
        return new NamespaceTestServer(namespace, RoomAccess.anyRoom());
    }

    /** With this rule for the rooms clients ask to be in (as ROOM_PATTERNS sets it). */
    public static NamespaceTestServer start(SwitchboardNamespace namespace, RoomAccess rooms) {
        return new NamespaceTestServer(namespace, rooms);
    }

    public String url() {
        return "http://127.0.0.1:" + io.port();
    }

    public Namespace namespace() {
        return namespace;
    }

    /** What the namespace's install returned (the namespace class itself for the product's namespaces). */
    @SuppressWarnings("unchecked")
    public <R extends RunningNamespace> R running() {
        return (R) running;
    }

    @Override
    public void close() {
        try {
            running.close();
        } finally {
            io.close(Duration.ofSeconds(2));
            scheduler.shutdownNow();
        }
    }
}
