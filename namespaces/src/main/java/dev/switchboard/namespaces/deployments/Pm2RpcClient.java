package dev.switchboard.namespaces.deployments;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.namespaces.core.ProducerException;

/**
 * Calls the PM2 daemon over {@code $PM2_HOME/rpc.sock} (axon req/rep + axon-rpc): sends
 * {@code [j:{type:"call", method, args}, s:<id>]} and reads {@code [j:{args:[...]} | j:{error}, s:<id>]}.
 * One short connection per call, so a restarted daemon needs no reconnect logic; a call that gets no answer
 * within the timeout fails with BACKEND_UNAVAILABLE.
 */
final class Pm2RpcClient {
    static final String BACKEND_UNAVAILABLE = "BACKEND_UNAVAILABLE";

    private final Path socket;
    private final Duration timeout;
    private final ScheduledExecutorService scheduler;
    private final ObjectMapper json;
    private final AtomicLong ids = new AtomicLong();

    Pm2RpcClient(Path socket, Duration timeout, ScheduledExecutorService scheduler, ObjectMapper json) {
        this.socket = socket;
        this.timeout = timeout;
        this.scheduler = scheduler;
        this.json = json;
    }

    /** Returns the reply's {@code args} (the callback arguments after the error). */
    JsonNode call(String method, Object... args) throws ProducerException {
        if (!Files.exists(socket)) {
            throw new ProducerException(BACKEND_UNAVAILABLE, "PM2 daemon not running (no " + socket.getFileName() + " in PM2_HOME)");
        }
        String id = "switchboard:" + ids.incrementAndGet();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ScheduledFuture<?> watchdog = scheduler.schedule(() -> closeQuietly(channel), timeout.toMillis(), TimeUnit.MILLISECONDS);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
                ByteBuffer request = AmpCodec.encode(json, Map.of("type", "call", "method", method, "args", List.of(args)), id);
                while (request.hasRemaining()) {
                    channel.write(request);
                }
                var in = Channels.newInputStream(channel);
                while (true) {
                    List<JsonNode> reply = AmpCodec.decode(json, in);
                    if (reply.size() < 2 || !id.equals(reply.get(reply.size() - 1).asText())) {
                        continue; // not ours
                    }
                    JsonNode body = reply.get(0);
                    if (body.has("error")) {
                        throw new ProducerException(BACKEND_UNAVAILABLE, "PM2 refused " + method + ": " + body.get("error").asText());
                    }
                    return body.path("args");
                }
            } finally {
                watchdog.cancel(false);
            }
        } catch (IOException e) {
            throw new ProducerException(BACKEND_UNAVAILABLE, "PM2 daemon unreachable: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
