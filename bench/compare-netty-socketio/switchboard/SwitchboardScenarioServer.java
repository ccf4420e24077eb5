import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.socketio.ConnectError;
import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.SocketIoServer;
import java.util.Map;

/**
 * The comparison's scenario endpoints on the Switchboard engine, with the engine's defaults (see
 * bench/compare-netty-socketio/src/main/java/bench/nsio/NettySocketIoScenarioServer.java for the same on
 * netty-socketio). Single-file program: java -cp server/app/target/switchboard.jar SwitchboardScenarioServer.java PORT
 */
public final class SwitchboardScenarioServer {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args.length > 0 ? args[0] : "0");
        SocketIoServer io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(port).build())
                .build();
        wire(io.of("/bench"));
        Namespace secure = io.of("/secure");
        secure.use(socket -> {
            JsonNode token = socket.handshake().auth().path("token");
            if (!"letmein".equals(token.asText(null))) {
                throw new ConnectError("not authorized", Map.of("code", 401));
            }
        });
        wire(secure);
        io.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> io.close(java.time.Duration.ofSeconds(1))));
        System.out.println("{\"type\":\"listening\",\"port\":" + io.port() + ",\"server\":\"switchboard\"}");
        System.out.flush();
    }

    private static void wire(Namespace ns) {
        ns.onConnection(socket -> {
            socket.on("echo", ev -> {
                if (ev.wantsAck()) {
                    ev.ack(ev.arg(0));
                } else {
                    socket.emit("echo", ev.arg(0));
                }
            });
            socket.on("binary", ev -> {
                byte[] data = bytes(ev);
                if (ev.wantsAck()) {
                    ev.ack((Object) data);
                }
                socket.emit("binary", (Object) data);
            });
            socket.on("binary-info", ev -> {
                byte[] data = bytes(ev);
                StringBuilder head = new StringBuilder();
                for (int i = 0; i < Math.min(8, data.length); i++) {
                    head.append(String.format("%02x", data[i]));
                }
                ev.ack(Map.of("len", data.length, "head", head.toString()));
            });
            socket.on("broadcast", ev -> ns.emit("news", ev.arg(0)));
        });
    }

    private static byte[] bytes(Event ev) throws java.io.IOException {
        JsonNode node = ev.arg(0);
        return node.isBinary() ? node.binaryValue() : new byte[0];
    }
}
