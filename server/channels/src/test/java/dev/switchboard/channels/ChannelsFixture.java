package dev.switchboard.channels;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.SocketIoServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A real Socket.IO server on a free loopback port with the plain channels on {@code /ws}, wired as the app does:
 * namespace {@code /mcp} whose clients {@code join} rooms (acked), every namespace's broadcasts followed by the hub.
 */
final class ChannelsFixture implements AutoCloseable {
    /** Session ids are minted by the backend: HMAC of the agent id with this secret. */
    static final AgentSessions SESSIONS = new AgentSessions("test-session-secret-of-32-bytes!!".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    static String session(String agentId) {
        return SESSIONS.sessionIdFor(agentId);
    }

    static final String TOKEN = "test-token-0123456789";
    static final String MCP_ONLY_TOKEN = "mcp-denied-token-0123456789";

    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "channels-test-scheduler");
        t.setDaemon(true);
        return t;
    });
    final PlainChannels channels;
    final SocketIoServer io;
    final Namespace mcp;

    ChannelsFixture(PlainChannelsOptions options, EngineIoOptions.Builder engine) {
        this(options, engine, dev.switchboard.socketio.RoomAccess.anyRoom());
    }

    ChannelsFixture(PlainChannelsOptions options, dev.switchboard.socketio.RoomAccess rooms) {
        this(options, EngineIoOptions.builder(), rooms);
    }

    ChannelsFixture(PlainChannelsOptions options, EngineIoOptions.Builder engine, dev.switchboard.socketio.RoomAccess rooms) {
        ChannelAuthenticator auth = new ChannelAuthenticator() {
            @Override
            public TokenGrant verifyToken(String token) {
                return switch (token) {
                    case TOKEN -> new TokenGrant("tester", ns -> true);
                    case MCP_ONLY_TOKEN -> new TokenGrant("other", ns -> !ns.equals("/mcp"));
                    default -> null;
                };
            }

            @Override
            public boolean verifyAgentSession(String agentId, String sessionId) {
                return SESSIONS.verify(agentId, sessionId);
            }

            @Override
            public boolean namespaceOpen(String namespace) {
                return true; // as without AUTH_TOKENS / JWT on a loopback server
            }
        };
        channels = PlainChannels.create(ChannelCatalog.defaults(), options, auth, rooms, List.of(), scheduler);
        io = SocketIoServer.builder()
                .engine(engine.host("127.0.0.1").port(0).build())
                .broadcastListener(channels.broadcastListeners())
                .webSocketRoute("/ws", channels.endpoint())
                .build();
        mcp = io.of("/mcp");
        mcp.onConnection(socket -> socket.on("join", ev -> {
            socket.join(ev.arg(0).asText());
            if (ev.wantsAck()) ev.ack("joined");
        }));
        channels.bind(name -> io.namespaces().stream().filter(n -> n.name().equals(name)).findFirst().orElse(null),
                () -> io.engine().clientsCount());
        io.start();
    }

    ChannelsFixture(PlainChannelsOptions options) {
        this(options, EngineIoOptions.builder());
    }

    ChannelsFixture() {
        this(PlainChannelsOptions.defaults());
    }

    String wsUrl() {
        return "ws://127.0.0.1:" + io.port() + "/ws";
    }

    String wsUrl(String query) {
        return wsUrl() + "?" + query;
    }

    String ioUrl() {
        return "http://127.0.0.1:" + io.port();
    }

    static EngineIoOptions.Builder engine() {
        return EngineIoOptions.builder().corsOrigins(List.of());
    }

    @Override
    public void close() {
        channels.close();
        io.close(Duration.ofSeconds(1));
        scheduler.shutdownNow();
    }
}
