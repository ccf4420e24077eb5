package bench.nsio;

import com.corundumstudio.socketio.AckRequest;
import com.corundumstudio.socketio.AuthTokenResult;
import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIONamespace;
import com.corundumstudio.socketio.SocketIOServer;
import java.util.Map;

/**
 * netty-socketio 2.0.14 with the comparison's scenario endpoints, all on library defaults:
 * <ul>
 *   <li>{@code /bench}: {@code echo} (acks its argument back), {@code binary} (acks the bytes and emits them back
 *       as event {@code binary}), {@code binary-info} (acks {len, head} of the bytes it received),
 *       {@code broadcast} (sends {@code news} to the whole namespace)</li>
 *   <li>{@code /secure}: the same events behind an auth listener that accepts only {@code auth.token == "letmein"}</li>
 * </ul>
 * Binds 127.0.0.1:&lt;port&gt; (args[0]) and prints {@code {"type":"listening","port":N}} on stdout.
 */
public final class NettySocketIoScenarioServer {
    private NettySocketIoScenarioServer() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args.length > 0 ? args[0] : "3017");
        Configuration config = new Configuration();
        config.setHostname("127.0.0.1");
        config.setPort(port);
        SocketIOServer server = new SocketIOServer(config);

        wire(server.addNamespace("/bench"));
        SocketIONamespace secure = server.addNamespace("/secure");
        secure.addAuthTokenListener((auth, client) -> auth instanceof Map<?, ?> map && "letmein".equals(map.get("token"))
                ? AuthTokenResult.AuthTokenResultSuccess
                : new AuthTokenResult(false, Map.of("message", "not authorized", "code", 401)));
        wire(secure);

        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        System.out.println("{\"type\":\"listening\",\"port\":" + port + ",\"server\":\"netty-socketio 2.0.14\"}");
        System.out.flush();
    }

    private static void wire(SocketIONamespace ns) {
        ns.addEventListener("echo", Object.class, (SocketIOClient client, Object data, AckRequest ack) -> {
            if (ack.isAckRequested()) {
                ack.sendAckData(data);
            } else {
                client.sendEvent("echo", data);
            }
        });
        ns.addEventListener("binary", byte[].class, (SocketIOClient client, byte[] data, AckRequest ack) -> {
            if (ack.isAckRequested()) {
                ack.sendAckData((Object) data);
            }
            client.sendEvent("binary", (Object) data);
        });
        ns.addEventListener("binary-info", byte[].class, (SocketIOClient client, byte[] data, AckRequest ack) -> {
            if (ack.isAckRequested()) {
                ack.sendAckData(info(data));
            }
        });
        ns.addEventListener("broadcast", Object.class,
                (SocketIOClient client, Object data, AckRequest ack) -> ns.getBroadcastOperations().sendEvent("news", data));
    }

    private static Map<String, Object> info(byte[] data) {
        StringBuilder head = new StringBuilder();
        for (int i = 0; i < Math.min(8, data == null ? 0 : data.length); i++) {
            head.append(String.format("%02x", data[i]));
        }
        return Map.of("len", data == null ? -1 : data.length, "head", head.toString());
    }
}
