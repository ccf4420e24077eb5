package dev.switchboard.socketio;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.socketio.parser.SocketIoParser;

/**
 * A real SocketIoServer on a loopback ephemeral port with the namespaces the integration tests talk to:
 * "/" (echo, binary, ask, join, shout) and "/secure" (middleware: auth.token must be "letmein").
 */
final class DemoServer implements AutoCloseable {
    final SocketIoServer io;
    /** Disconnect reasons seen by the server, as "namespace:reason". */
    final LinkedBlockingQueue<String> disconnects = new LinkedBlockingQueue<>();
    /** Results of the server's emitWithAck("question"), or the failure's class name. */
    final LinkedBlockingQueue<String> askResults = new LinkedBlockingQueue<>();

    DemoServer() {
        this(b -> { });
    }

    DemoServer(Consumer<EngineIoOptions.Builder> engineTweaks) {
        this(engineTweaks, SocketIoParser.DEFAULT);
    }

    /** With another parser: Engine.IO v3 off, the msgpack parser does not speak it. */
    DemoServer(SocketIoParser parser) {
        this(engine -> engine.allowEio3(false), parser);
    }

    private DemoServer(Consumer<EngineIoOptions.Builder> engineTweaks, SocketIoParser parser) {
        EngineIoOptions.Builder engine = EngineIoOptions.builder().host("127.0.0.1").port(0).allowEio3(true);
        engineTweaks.accept(engine);
        io = SocketIoServer.builder().engine(engine.build()).parser(parser).workerThreads(8)
                .connectTimeout(Duration.ofSeconds(10)).build();
        io.of("/").onConnection(this::setUpMain);
        io.of("/secure")
                .use(socket -> {
                    if (!"letmein".equals(socket.handshake().auth().path("token").asText())) {
                        throw new ConnectError("unauthorized", Map.of("reason", "bad token"));
                    }
                })
                .onConnection(socket -> {
                    socket.join("members");
                    socket.onDisconnect(reason -> disconnects.add("/secure:" + reason));
                    socket.on("echo", ev -> ev.ack(ev.args().toArray()));
                });
        io.start();
    }

    private void setUpMain(Socket socket) {
        socket.onDisconnect(reason -> disconnects.add("/:" + reason));
        socket.emit("welcome", socket.id());
        socket.on("echo", ev -> ev.ack(ev.args().toArray()));
        socket.on("binary", ev -> {
            byte[] in = ev.arg(0).binaryValue();
            byte[] reversed = new byte[in.length];
            for (int i = 0; i < in.length; i++) {
                reversed[i] = in[in.length - 1 - i];
            }
            socket.emit("binary-back", Map.of("bytes", reversed, "length", in.length));
            ev.ack(reversed);
        });
        socket.on("ask", ev -> socket.emitWithAck("question", Duration.ofSeconds(5), ev.arg(0))
                .whenComplete((args, error) -> {
                    String result = error != null ? error.getClass().getSimpleName() + ":" + error.getMessage()
                            : args.toString();
                    askResults.add(result);
                    socket.emit("asked", result);
                }));
        socket.on("join", ev -> {
            socket.join(ev.arg(0).asText());
            ev.ack("joined");
        });
        socket.on("shout", ev -> {
            int n = io.of("/").to(ev.arg(0).asText()).emit("shouted", ev.arg(1));
            ev.ack(n);
        });
        socket.on("kick", ev -> socket.disconnect(false));
        socket.on("shout-all-secure", ev -> ev.ack(io.of("/secure").emit("news", ev.arg(0))));
    }

    String url() {
        return "http://127.0.0.1:" + io.port();
    }

    static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new java.util.ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    @Override
    public void close() {
        io.close(Duration.ofSeconds(3));
    }
}
