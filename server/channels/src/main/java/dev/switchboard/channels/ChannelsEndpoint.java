package dev.switchboard.channels;

import dev.switchboard.engineio.AddressCounts;
import dev.switchboard.engineio.HttpReply;
import dev.switchboard.engineio.HttpRouteRequest;
import dev.switchboard.engineio.WebSocketRoute;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code /ws} route: admits connections within the limits and makes a {@link PlainClient} for each. */
final class ChannelsEndpoint implements WebSocketRoute {
    private static final Logger log = LoggerFactory.getLogger(ChannelsEndpoint.class);
    private static final byte[] TOO_MANY = "{\"error\":\"too many connections\",\"code\":\"RATE_LIMITED\"}".getBytes();
    static final List<String> IDENTITY_PARAMS = List.of("agent_id", "session_id", "threadId", "userId");

    private final ChannelCatalog catalog;
    private final PlainChannelsOptions options;
    private final ChannelAuthenticator authenticator;
    private final ChannelGate gate;
    private final ChannelFrames frames;
    private final ChannelHub hub;
    private final MetricsFeed metrics;
    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refusals = new AtomicLong();
    private final AddressCounts<String> perIp = new AddressCounts<>();
    private final java.util.Set<PlainClient> clients = ConcurrentHashMap.newKeySet();

    ChannelsEndpoint(ChannelCatalog catalog, PlainChannelsOptions options, ChannelAuthenticator authenticator,
                     ChannelGate gate, ChannelFrames frames, ChannelHub hub, MetricsFeed metrics) {
        this.catalog = catalog;
        this.options = options;
        this.authenticator = authenticator;
        this.gate = gate;
        this.frames = frames;
        this.hub = hub;
        this.metrics = metrics;
    }

    @Override
    public HttpReply admit(HttpRouteRequest request) {
        String ip = request.clientAddress(options.trustProxy());
        if (options.maxConnections() > 0 && open.get() >= options.maxConnections()) {
            refusals.incrementAndGet();
            log.warn("plain connection refused ip={} reason=server_limit limit={}", ip, options.maxConnections());
            return HttpReply.json(503, TOO_MANY);
        }
        if (options.maxConnectionsPerIp() > 0 && perIp.count(ip) >= options.maxConnectionsPerIp()) {
            refusals.incrementAndGet();
            log.warn("plain connection refused ip={} reason=ip_limit limit={}", ip, options.maxConnectionsPerIp());
            return HttpReply.json(429, TOO_MANY);
        }
        return null;
    }

    @Override
    public Listener onOpen(PlainWebSocket socket, HttpRouteRequest request) {
        open.incrementAndGet();
        String ip = request.clientAddress(options.trustProxy());
        perIp.increment(ip);
        Map<String, String> query = new HashMap<>(4);
        for (String name : IDENTITY_PARAMS) {
            String value = request.queryParam(name);
            if (value != null) query.put(name, value);
        }
        PlainClient client = new PlainClient(newId(), ip, socket, this, query);
        clients.add(client);
        log.debug("plain client connected client={} ip={}", client.id(), ip);
        client.start();
        return client;
    }

    void closed(PlainClient client) {
        clients.remove(client);
        open.decrementAndGet();
        perIp.decrement(client.ip());
        log.debug("plain client disconnected client={} ip={}", client.id(), client.ip());
    }

    private String newId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Closes every plain connection with 1001. */
    void closeAll() {
        for (PlainClient client : clients) client.goAway();
    }

    void refusal() {
        refusals.incrementAndGet();
    }

    int connections() {
        return open.get();
    }

    long refusals() {
        return refusals.get();
    }

    ChannelCatalog catalog() { return catalog; }
    PlainChannelsOptions options() { return options; }
    ChannelAuthenticator authenticator() { return authenticator; }

    ChannelGate gate() { return gate; }
    ChannelFrames frames() { return frames; }
    ChannelHub hub() { return hub; }
    MetricsFeed metrics() { return metrics; }
}
