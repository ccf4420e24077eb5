package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One socket.io-client socket inside a {@link NodeClientDriver}. Everything it receives is recorded from the
 * start: {@code awaitX} methods return the first recorded match (events received before the call count), so
 * the order of "act" and "await" in a test does not matter. For the n-th occurrence use the
 * {@code nth}-taking variants. Every wait has a deadline and fails with what was received instead.
 *
 * <p>Lifecycle kinds recorded: {@code connect} (sid, recovered, transport), {@code connect_error} (message,
 * data), {@code disconnect} (reason, description), {@code upgrade} (transport), {@code transport_close}
 * (reason), {@code reconnect_attempt}, {@code reconnect}, {@code reconnect_failed}, {@code manager_error}.
 */
public final class NodeSocket {
    private static final int FAILURE_CONTEXT = 15;

    private final NodeClientDriver driver;
    private final String id;
    private final String url;
    private final String namespace;
    private final Object lock = new Object();
    private final List<ServerEvent> serverEvents = new ArrayList<>();
    private final List<JsonNode> lifecycle = new ArrayList<>();
    private final List<String> timeline = new ArrayList<>();
    private boolean driverGone;

    NodeSocket(NodeClientDriver driver, String id, String url, String namespace) {
        this.driver = driver;
        this.id = id;
        this.url = url;
        this.namespace = namespace;
    }

    public String id() {
        return id;
    }

    public String url() {
        return url;
    }

    public String namespace() {
        return namespace;
    }

    // ------------------------------------------------------------------ client -> server

    /** Emits an event (args: JSON-convertible values; byte[] is sent as binary). Returns once the client sent it. */
    public void emit(String event, Object... args) {
        ObjectNode cmd = driver.command("emit").put("id", id).put("event", event);
        cmd.set("args", DriverJson.args(args));
        driver.request(cmd, NodeClientDriver.DEFAULT_REPLY_TIMEOUT);
    }

    /** Emits with a volatile flag (dropped by the client when not connected). */
    public void emitVolatile(String event, Object... args) {
        ObjectNode cmd = driver.command("emit").put("id", id).put("event", event).put("volatile", true);
        cmd.set("args", DriverJson.args(args));
        driver.request(cmd, NodeClientDriver.DEFAULT_REPLY_TIMEOUT);
    }

    /**
     * Emits with an ack callback and returns the ack's args array (binary as {"$binary": base64}). Throws
     * {@link DriverException} ("ack timeout ...") when the server does not ack within {@code timeout}.
     */
    public ArrayNode emitWithAck(String event, Duration timeout, Object... args) {
        ObjectNode cmd = driver.command("emit").put("id", id).put("event", event)
                .put("ack", true).put("timeoutMs", Math.max(1, timeout.toMillis()));
        cmd.set("args", DriverJson.args(args));
        JsonNode reply = driver.request(cmd, timeout.plus(NodeClientDriver.DEFAULT_REPLY_TIMEOUT));
        return (ArrayNode) reply.get("ack");
    }

    /** Disconnects (a Socket.IO DISCONNECT from the client: no reconnection). */
    public void disconnect() {
        driver.request(driver.command("disconnect").put("id", id).put("forget", false), NodeClientDriver.DEFAULT_REPLY_TIMEOUT);
    }

    /** {@code socket.connect()} again after a disconnect. */
    public void reconnect() {
        driver.request(driver.command("reconnect").put("id", id), NodeClientDriver.DEFAULT_REPLY_TIMEOUT);
    }

    /**
     * Kills the engine transport under the socket without a Socket.IO DISCONNECT: over WebSocket the TCP
     * connection is dropped without a close frame; over polling {@code engine.close()}. The client then sees
     * "transport close" and reconnects if reconnection is on. Returns what was done.
     */
    public String closeTransport() {
        return closeTransport("destroy");
    }

    /** @param mode "destroy" (abrupt, WebSocket only) or "close" ({@code engine.close()}, a clean close) */
    public String closeTransport(String mode) {
        JsonNode reply = driver.request(driver.command("close-transport").put("id", id).put("mode", mode),
                NodeClientDriver.DEFAULT_REPLY_TIMEOUT);
        return reply.path("done").asText();
    }

    /** {connected, recovered, sid, engineId, transport, version, pendingServerAcks}. */
    public JsonNode state() {
        return driver.request(driver.command("state").put("id", id), NodeClientDriver.DEFAULT_REPLY_TIMEOUT);
    }

    void answerServerAck(long ackId, ArrayNode args) {
        ObjectNode cmd = driver.command("ack").put("id", id).put("ackId", ackId);
        cmd.set("args", args);
        driver.request(cmd, NodeClientDriver.DEFAULT_REPLY_TIMEOUT);
    }

    // ------------------------------------------------------------------ server -> client

    /** First event {@code name} received; returns its args array. */
    public JsonNode awaitEvent(String name, Duration timeout) {
        return awaitServerEvent(name, args -> true, 1, timeout).args();
    }

    /** First event {@code name} whose args array matches {@code argsMatch}; returns the args array. */
    public JsonNode awaitEvent(String name, Predicate<JsonNode> argsMatch, Duration timeout) {
        return awaitServerEvent(name, argsMatch, 1, timeout).args();
    }

    /** The {@code nth} (1-based) event {@code name} whose args match, with its ack handle. */
    public ServerEvent awaitServerEvent(String name, Predicate<JsonNode> argsMatch, int nth, Duration timeout) {
        return awaitMatch(() -> {
            int found = 0;
            for (ServerEvent e : serverEvents) {
                if (e.name().equals(name) && argsMatch.test(e.args()) && ++found == nth) {
                    return e;
                }
            }
            return null;
        }, timeout, "server event '" + name + "' #" + nth);
    }

    /** Waits until {@code count} events {@code name} were received; returns their args arrays. */
    public List<JsonNode> awaitEvents(String name, int count, Duration timeout) {
        awaitServerEvent(name, args -> true, count, timeout);
        return events(name);
    }

    /** Args arrays of every event {@code name} received so far, in order. */
    public List<JsonNode> events(String name) {
        synchronized (lock) {
            List<JsonNode> out = new ArrayList<>();
            for (ServerEvent e : serverEvents) {
                if (e.name().equals(name)) {
                    out.add(e.args());
                }
            }
            return out;
        }
    }

    /** Every server event received so far, in order. */
    public List<ServerEvent> serverEvents() {
        synchronized (lock) {
            return List.copyOf(serverEvents);
        }
    }

    /** Forgets everything received so far (server events and lifecycle). */
    public void clearEvents() {
        synchronized (lock) {
            serverEvents.clear();
            lifecycle.clear();
        }
    }

    // ------------------------------------------------------------------ lifecycle

    /** The first {@code connect}: {sid, recovered, transport}. */
    public JsonNode awaitConnect(Duration timeout) {
        return awaitLifecycle("connect", 1, timeout);
    }

    /** The first {@code connect_error}: {message, data}. */
    public JsonNode awaitConnectError(Duration timeout) {
        return awaitLifecycle("connect_error", 1, timeout);
    }

    /** Reason of the first {@code disconnect} (e.g. "io server disconnect", "transport close", "ping timeout"). */
    public String awaitDisconnect(Duration timeout) {
        return awaitLifecycle("disconnect", 1, timeout).path("reason").asText();
    }

    /** The {@code nth} (1-based) lifecycle event of {@code kind}. */
    public JsonNode awaitLifecycle(String kind, int nth, Duration timeout) {
        return awaitMatch(() -> {
            int found = 0;
            for (JsonNode e : lifecycle) {
                if (e.path("kind").asText().equals(kind) && ++found == nth) {
                    return e;
                }
            }
            return null;
        }, timeout, "'" + kind + "' #" + nth);
    }

    /** Lifecycle events of {@code kind} so far. */
    public List<JsonNode> lifecycle(String kind) {
        synchronized (lock) {
            return lifecycle.stream().filter(e -> e.path("kind").asText().equals(kind)).toList();
        }
    }

    /**
     * Asserts nothing matching arrives during {@code window} (for "must NOT receive" checks: a refused client
     * must not get a broadcast). Returns normally when the window passed without a match.
     */
    public void assertNoEvent(String name, Duration window) {
        ServerEvent unexpected = findWithin(() -> {
            for (ServerEvent e : serverEvents) {
                if (e.name().equals(name)) {
                    return e;
                }
            }
            return null;
        }, window, "no '" + name + "'");
        if (unexpected != null) {
            throw new AssertionError("unexpected server event '" + name + "' " + unexpected.args() + " on " + this);
        }
    }

    // ------------------------------------------------------------------ recording

    void record(JsonNode event) {
        String kind = event.path("kind").asText();
        synchronized (lock) {
            if ("event".equals(kind)) {
                JsonNode ackId = event.get("ackId");
                serverEvents.add(new ServerEvent(this, event.path("name").asText(), event.path("args"),
                        ackId == null || ackId.isNull() ? null : ackId.asLong(), event.path("t").asLong()));
                timeline.add("event " + event.path("name").asText() + " " + abbreviate(event.path("args").toString()));
            } else {
                lifecycle.add(event);
                timeline.add(kind + " " + abbreviate(event.toString()));
            }
            lock.notifyAll();
        }
    }

    void driverGone() {
        synchronized (lock) {
            driverGone = true;
            lock.notifyAll();
        }
    }

    private <T> T awaitMatch(Supplier<T> finder, Duration timeout, String what) {
        T found = findWithin(finder, timeout, what);
        if (found == null) {
            synchronized (lock) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what
                        + " on " + this + "; received: " + recent());
            }
        }
        return found;
    }

    /** The finder's first non-null answer within {@code timeout}, or null; fails at once if the driver died. */
    private <T> T findWithin(Supplier<T> finder, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                T found = finder.get();
                if (found != null) {
                    return found;
                }
                if (driverGone) {
                    throw new AssertionError("waiting for " + what + " on " + this + ": " + driver.exitReason()
                            + "; received: " + recent());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted waiting for " + what, e);
                }
            }
        }
    }

    private String recent() {
        int from = Math.max(0, timeline.size() - FAILURE_CONTEXT);
        return (from > 0 ? "[..." + from + " earlier] " : "") + timeline.subList(from, timeline.size());
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    @Override
    public String toString() {
        return "NodeSocket[" + id + " " + url + namespace + "]";
    }
}
