package dev.switchboard.channels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.engineio.RateLimiter;
import dev.switchboard.engineio.WebSocketRoute;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One plain WebSocket client: parses its JSON messages, checks rate, size and access, keeps its subscriptions.
 * Inbound callbacks run on the connection's I/O thread; {@link #send} may be called from any thread.
 */
final class PlainClient implements WebSocketRoute.Listener {
    private static final Logger log = LoggerFactory.getLogger(PlainClient.class);
    static final int MAX_EVENT_LENGTH = 128;

    private final String id;
    /** The client's address as admitted (per-IP count, logs); fixed for the connection's life. */
    private final String ip;
    private final WebSocketRoute.PlainWebSocket ws;
    private final ChannelsEndpoint endpoint;
    private final ChannelFrames frames;
    private final PlainChannelsOptions options;
    private final RateLimiter bucket;
    private final ClientIdentity identity = new ClientIdentity();
    private final Set<String> subscriptions = new HashSet<>();
    private long lastAnonymousDropSecond = Long.MIN_VALUE;

    PlainClient(String id, String ip, WebSocketRoute.PlainWebSocket ws, ChannelsEndpoint endpoint,
                Map<String, String> query) {
        this.id = id;
        this.ip = ip;
        this.ws = ws;
        this.endpoint = endpoint;
        this.frames = endpoint.frames();
        this.options = endpoint.options();
        this.bucket = new RateLimiter(options.ratePerSecond(), options.rateBurst(), options.rateDisconnectAfterSeconds(),
                System.nanoTime());
        String agent = query.get("agent_id");
        String session = query.get("session_id");
        if (validId(agent) && validId(session) && endpoint.authenticator().verifyAgentSession(agent, session)) {
            identity.pair(agent, session);
        }
    }

    String ip() {
        return ip;
    }

    String id() {
        return id;
    }

    void send(byte[] frame) {
        ws.sendText(frame);
    }

    void start() {
        send(frames.connected(id));
    }

    /** Server shutdown: 1001 Going Away, so clients reconnect (to another node or after the restart). */
    void goAway() {
        ws.close(1001, "server shutting down");
    }

    @Override
    public void onText(String text) {
        RateLimiter.Verdict verdict = bucket.onEvent(System.nanoTime());
        if (verdict == RateLimiter.Verdict.DISCONNECT) {
            log.info("plain client closed for rate client={} ip={}", id, ip);
            ws.close(1008, "rate limit exceeded");
            return;
        }
        JsonNode message;
        try {
            message = frames.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            message = null;
        }
        JsonNode msgId = message != null && message.isObject() ? idOf(message.get("id")) : null;
        if (!verdict.allowed()) {
            // a message with an id always gets its answer; anonymous drops are reported at most once a second
            long second = System.nanoTime() / 1_000_000_000L;
            if (msgId != null || second != lastAnonymousDropSecond) {
                if (msgId == null) lastAnonymousDropSecond = second;
                error(ChannelError.RATE_LIMITED, "rate limit exceeded: at most " + options.ratePerSecond() + " messages/s", msgId);
            }
            return;
        }
        if (exceeds(text, options.maxMessageBytes())) {
            error(ChannelError.PAYLOAD_TOO_LARGE, "message larger than " + options.maxMessageBytes() + " bytes", msgId);
            return;
        }
        if (message == null || !message.isObject()) {
            error(ChannelError.INVALID_MESSAGE, "a message must be a JSON object", null);
            return;
        }
        JsonNode rawId = message.get("id");
        if (rawId != null && msgId == null) {
            error(ChannelError.INVALID_MESSAGE, "id must be a string or a number", null);
            return;
        }
        String type = text(message, "type");
        if (type == null) {
            if (message.has("channel") && message.has("event")) type = "publish"; // {channel, event, data} shorthand
            else {
                error(ChannelError.INVALID_MESSAGE, "type is required (subscribe|unsubscribe|publish|auth|ping)", msgId);
                return;
            }
        }
        switch (type) {
            case "subscribe" -> subscribe(message, msgId);
            case "unsubscribe" -> unsubscribe(message, msgId);
            case "publish" -> publish(message, msgId);
            case "auth" -> auth(message, msgId);
            case "ping" -> {
                send(frames.pong(msgId));
                if (msgId != null) send(frames.ack(msgId, true));
            }
            default -> error(ChannelError.INVALID_MESSAGE, "unknown type '" + abbreviate(type) + "'", msgId);
        }
    }

    private void subscribe(JsonNode message, JsonNode msgId) {
        ResolvedChannel channel = channel(message, msgId);
        if (channel == null) return;
        if (!endpoint.gate().maySubscribe(identity, channel)) {
            refuse("subscribe", channel, msgId);
            return;
        }
        if (!subscriptions.contains(channel.name()) && subscriptions.size() >= options.maxSubscriptions()) {
            error(ChannelError.INVALID_MESSAGE, "at most " + options.maxSubscriptions() + " subscriptions per connection", msgId);
            return;
        }
        if (!endpoint.hub().hasRoomFor(channel, endpoint.gate().maxRooms())) {
            error(ChannelError.LIMIT_EXCEEDED, "at most " + endpoint.gate().maxRooms() + " rooms of "
                    + channel.namespace() + " followed on this server; subscribe to a channel that has subscribers", msgId);
            return;
        }
        subscriptions.add(channel.name());
        endpoint.hub().subscribe(this, channel);
        if (msgId != null) send(frames.ack(msgId, true));
        if (ChannelCatalog.METRICS.equals(channel.name())) endpoint.metrics().sendSnapshot(this);
    }

    private void unsubscribe(JsonNode message, JsonNode msgId) {
        ResolvedChannel channel = channel(message, msgId);
        if (channel == null) return;
        boolean was = subscriptions.remove(channel.name());
        if (was) endpoint.hub().unsubscribe(this, channel.name());
        if (msgId != null) send(frames.ack(msgId, was));
    }

    private void publish(JsonNode message, JsonNode msgId) {
        ResolvedChannel channel = channel(message, msgId);
        if (channel == null) return;
        String event = text(message, "event");
        if (event == null || event.isEmpty() || event.length() > MAX_EVENT_LENGTH) {
            error(ChannelError.INVALID_MESSAGE, "event must be a non-empty string of at most " + MAX_EVENT_LENGTH + " characters", msgId);
            return;
        }
        if (!endpoint.gate().mayPublish(identity, channel)) {
            refuse("publish", channel, msgId);
            return;
        }
        JsonNode data = message.get("data");
        try {
            endpoint.hub().publish(channel, event, data == null || data.isMissingNode() ? null : data);
        } catch (IllegalArgumentException e) { // e.g. a reserved Socket.IO event name ("connect", "disconnect"...)
            error(ChannelError.INVALID_MESSAGE, e.getMessage(), msgId);
            return;
        }
        if (msgId != null) send(frames.ack(msgId, true));
    }

    private void auth(JsonNode message, JsonNode msgId) {
        String token = text(message, "token");
        String agent = text(message, "agent_id");
        String session = text(message, "session_id");
        if (token != null && !token.isBlank()) {
            ChannelAuthenticator.TokenGrant grant = endpoint.authenticator().verifyToken(token.trim());
            if (grant == null) {
                endpoint.refusal();
                log.warn("plain auth refused client={} ip={} reason=invalid_token", id, ip);
                error(ChannelError.UNAUTHORIZED, "invalid token", msgId);
                return;
            }
            identity.grant(grant);
        } else if (agent != null || session != null) {
            if (!validId(agent) || !validId(session)) {
                error(ChannelError.INVALID_MESSAGE, "agent_id and session_id must both be ids of 1-128 characters [A-Za-z0-9_.:-]", msgId);
                return;
            }
            if (!endpoint.authenticator().verifyAgentSession(agent, session)) {
                endpoint.refusal();
                log.warn("plain auth refused client={} ip={} reason=agent_session_refused", id, ip);
                error(ChannelError.UNAUTHORIZED, "agent_id/session_id refused", msgId);
                return;
            }
            identity.pair(agent, session);
        } else {
            error(ChannelError.INVALID_MESSAGE, "auth needs token, or agent_id and session_id", msgId);
            return;
        }
        log.debug("plain auth client={} subject={}", id, identity.subject());
        if (msgId != null) send(frames.ack(msgId, true));
    }

    private ResolvedChannel channel(JsonNode message, JsonNode msgId) {
        String name = text(message, "channel");
        if (name == null) {
            error(ChannelError.INVALID_MESSAGE, "channel must be a string", msgId);
            return null;
        }
        ResolvedChannel channel = endpoint.catalog().resolve(name);
        if (channel == null) error(ChannelError.INVALID_CHANNEL, "unknown channel '" + abbreviate(name) + "'", msgId);
        return channel;
    }

    private void refuse(String what, ResolvedChannel channel, JsonNode msgId) {
        endpoint.refusal();
        log.info("plain {} refused client={} channel={} authenticated={}", what, id, channel.name(), identity.authenticated());
        error(ChannelError.UNAUTHORIZED, (identity.authenticated() ? "not allowed to " : "authentication required to ")
                + what + " '" + channel.name() + "'", msgId);
    }

    private void error(ChannelError code, String message, JsonNode msgId) {
        send(frames.error(code, message, msgId));
    }

    @Override
    public void onBinary(byte[] data) {
        error(ChannelError.INVALID_MESSAGE, "binary messages are not supported: send JSON text", null);
    }

    @Override
    public void onClose() {
        for (String channel : subscriptions) endpoint.hub().unsubscribe(this, channel);
        subscriptions.clear();
        endpoint.closed(this);
    }

    private static JsonNode idOf(JsonNode id) {
        return id != null && (id.isTextual() || id.isIntegralNumber()) ? id : null;
    }

    private static String text(JsonNode message, String field) {
        JsonNode v = message.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    static boolean validId(String value) {
        return value != null && ChannelPattern.VALUE.matcher(value).matches();
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    /** Whether the UTF-8 form of s is longer than max bytes, without encoding it (1 to 3 bytes per char). */
    static boolean exceeds(String s, int max) {
        int n = s.length();
        if (n > max) return true;
        if (n * 3L <= max) return false;
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3; // a surrogate pair: 4 bytes
        }
        return bytes > max;
    }
}
