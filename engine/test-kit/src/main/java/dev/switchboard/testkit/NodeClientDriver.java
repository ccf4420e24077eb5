package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real Node.js socket.io-client, remote-controlled: one {@code node test-support/node/sio-driver.mjs}
 * process hosting any number of client sockets ({@link NodeSocket}). Commands are JSON lines on the driver's
 * stdin; replies and events come back as JSON lines on its stdout (protocol: test-support/node/README.md).
 *
 * <pre>{@code
 * try (NodeClientDriver driver = NodeClientDriver.start()) {
 *     NodeSocket socket = driver.connect("http://127.0.0.1:" + port, "/system");
 *     socket.awaitConnect(Duration.ofSeconds(5));
 *     JsonNode ack = socket.emitWithAck("subscribe:stats", Duration.ofSeconds(5), Map.of("interval", 1000));
 * }
 * }</pre>
 */
public final class NodeClientDriver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeClientDriver.class);
    public static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final AtomicInteger DRIVERS = new AtomicInteger();

    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<String, NodeSocket> sockets = new ConcurrentHashMap<>();
    private final CompletableFuture<JsonNode> ready = new CompletableFuture<>();
    private final AtomicLong nextCmd = new AtomicLong();
    private final AtomicInteger nextSocket = new AtomicInteger();
    private final String name = "sio-driver-" + DRIVERS.incrementAndGet();
    private final NodeProcess process;
    private volatile String exitReason;

    private NodeClientDriver(Path nodeDir) {
        this.process = NodeProcess.start(nodeDir, "sio-driver.mjs", List.of(), Map.of(), new LineHandler());
    }

    /** Starts a driver using {@code test-support/node} of this repository. */
    public static NodeClientDriver start() {
        return start(RepoPaths.nodeDir());
    }

    /** Starts a driver from the given node folder (must hold sio-driver.mjs and node_modules). */
    public static NodeClientDriver start(Path nodeDir) {
        NodeClientDriver driver = new NodeClientDriver(nodeDir);
        try {
            JsonNode hello = driver.ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.debug("driver ready name={} pid={} clients={}", driver.name, driver.process.pid(), hello.path("clients"));
            return driver;
        } catch (Exception e) {
            driver.close();
            throw new IllegalStateException("sio-driver did not start within " + READY_TIMEOUT.toSeconds() + " s: "
                    + (e instanceof ExecutionException ee ? ee.getCause().getMessage() : e.toString()), e);
        }
    }

    /** Versions of the client packages the driver loaded, e.g. {"v4":"4.8.4","v3":"3.1.3","v2":"2.5.0"}. */
    public JsonNode clientVersions() {
        return ready.join().path("clients");
    }

    public NodeSocket connect(String url, String namespace) {
        return connect(url, namespace, ClientOptions.defaults());
    }

    /**
     * Creates a client socket ({@code io(url + namespace, opts)}); returns at once, the connection goes on in the
     * background: use {@link NodeSocket#awaitConnect} or {@link NodeSocket#awaitConnectError}.
     */
    public NodeSocket connect(String url, String namespace, ClientOptions options) {
        String id = "s" + nextSocket.incrementAndGet();
        NodeSocket socket = new NodeSocket(this, id, url, namespace);
        sockets.put(id, socket);
        ObjectNode cmd = command("connect").put("id", id).put("url", url).put("namespace", namespace);
        cmd.set("opts", options.toJson());
        try {
            request(cmd, DEFAULT_REPLY_TIMEOUT);
        } catch (RuntimeException e) {
            sockets.remove(id);
            throw e;
        }
        return socket;
    }

    /** A command object {@code {"op": op}}; {@link #request} adds the {@code cmd} id. */
    public ObjectNode command(String op) {
        return DriverJson.MAPPER.createObjectNode().put("op", op);
    }

    /** Sends a command and waits for its reply; a reply with {@code ok: false} throws {@link DriverException}. */
    public JsonNode request(ObjectNode command, Duration timeout) {
        CompletableFuture<JsonNode> reply = send(command);
        long cmd = command.get("cmd").asLong();
        try {
            JsonNode node = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!node.path("ok").asBoolean(false)) {
                throw new DriverException(node.path("error").asText("driver error") + " (command " + redact(command) + ")");
            }
            return node;
        } catch (TimeoutException e) {
            pending.remove(cmd);
            throw new AssertionError("no reply from " + name + " within " + timeout.toMillis() + " ms to " + redact(command));
        } catch (ExecutionException e) {
            throw new AssertionError(name + " failed on " + redact(command) + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + name, e);
        }
    }

    /** Sends a command without waiting; the future completes with the raw reply (ok true or false). */
    public CompletableFuture<JsonNode> send(ObjectNode command) {
        long cmd = nextCmd.incrementAndGet();
        command.put("cmd", cmd);
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        String dead = exitReason;
        if (dead != null) {
            reply.completeExceptionally(new IllegalStateException(dead));
            return reply;
        }
        pending.put(cmd, reply);
        try {
            process.writeLine(command.toString());
        } catch (RuntimeException e) {
            pending.remove(cmd);
            reply.completeExceptionally(e);
        }
        return reply;
    }

    /** Sends one raw line (tests of the driver's own error handling). */
    public void sendRaw(String line) {
        process.writeLine(line);
    }

    public boolean isAlive() {
        return process.isAlive() && exitReason == null;
    }

    /** Why the driver process is gone, or null while it runs. */
    String exitReason() {
        return exitReason;
    }

    public long pid() {
        return process.pid();
    }

    /** Disconnects every socket and stops the node process (killed if it does not exit within 2 s). */
    @Override
    public void close() {
        if (process.isAlive() && exitReason == null) {
            try {
                send(command("shutdown")).get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.debug("driver {} shutdown not acknowledged: {}", name, e.toString());
            }
        }
        process.close();
        markDead("driver closed");
    }

    private void markDead(String reason) {
        if (exitReason == null) {
            exitReason = reason;
        }
        IllegalStateException gone = new IllegalStateException(exitReason);
        ready.completeExceptionally(gone);
        pending.values().forEach(f -> f.completeExceptionally(gone));
        pending.clear();
        sockets.values().forEach(NodeSocket::driverGone);
    }

    private static String redact(ObjectNode command) {
        String text = command.toString();
        return text.length() > 300 ? text.substring(0, 300) + "...(" + text.length() + " chars)" : text;
    }

    private final class LineHandler implements NodeProcess.EndAware {
        @Override
        public void accept(String line) {
            JsonNode node;
            try {
                node = DriverJson.MAPPER.readTree(line);
            } catch (IOException e) {
                log.warn("driver {} printed a non-JSON line: {}", name, line);
                return;
            }
            switch (node.path("type").asText()) {
                case "reply" -> onReply(node);
                case "event" -> onEvent(node);
                case "ready" -> ready.complete(node);
                case "error" -> log.warn("driver {} reported error={}", name, node.path("error").asText());
                default -> log.warn("driver {} printed an unknown line: {}", name, line);
            }
        }

        @Override
        public void onEnd(int exitCode) {
            markDead(name + " exited with code " + exitCode);
        }

        private void onReply(JsonNode node) {
            JsonNode cmd = node.get("cmd");
            if (cmd == null || cmd.isNull()) {
                log.warn("driver {} rejected a line: {}", name, node.path("error").asText());
                return;
            }
            CompletableFuture<JsonNode> future = pending.remove(cmd.asLong());
            if (future != null) {
                future.complete(node);
            }
        }

        private void onEvent(JsonNode node) {
            NodeSocket socket = sockets.get(node.path("id").asText());
            if (socket != null) {
                socket.record(node);
            }
        }
    }
}
