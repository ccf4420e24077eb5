package dev.switchboard.channels;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.engineio.WebSocketRoute;
import dev.switchboard.socketio.BroadcastListener;
import dev.switchboard.socketio.RoomAccess;
import dev.switchboard.socketio.Namespace;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * Plain WebSocket channels served beside Socket.IO from the same process and event bus. Wire it in three steps:
 * <pre>{@code
 * PlainChannels channels = PlainChannels.create(catalog, options, authenticator, scheduler);
 * SocketIoServer io = SocketIoServer.builder()
 *         .broadcastListener(channels.broadcastListeners()) // broadcasts (local or from other nodes) reach plain subscribers
 *         .webSocketRoute("/ws", channels.endpoint())     // the plain endpoint on the public port
 *         .build();
 * channels.bind(name -> served namespace or null, io.engine()::clientsCount); // publishes reach Socket.IO rooms
 * }</pre>
 */
public final class PlainChannels implements AutoCloseable {
    public static final int MAX_CHANNELS_LISTED = 1000;
    private final ChannelHub hub;
    private final ChannelsEndpoint endpoint;
    private final MetricsFeed metrics;
    private volatile IntSupplier socketIoConnections = () -> 0;

    private PlainChannels(ChannelCatalog catalog, PlainChannelsOptions options, ChannelAuthenticator authenticator,
                     RoomAccess rooms, List<String> publicChannels, ScheduledExecutorService scheduler,
                     ObjectMapper mapper) {
        ChannelFrames frames = new ChannelFrames(mapper);
        this.hub = new ChannelHub(frames);
        this.metrics = new MetricsFeed(hub, frames, scheduler, options.metricsInterval().toMillis());
        ChannelGate gate = new ChannelGate(authenticator, rooms, publicChannels, hub::isSocketRoom);
        this.endpoint = new ChannelsEndpoint(catalog, options, authenticator, gate, frames, hub, metrics);
        metrics.snapshotSource(this::snapshot);
    }

    public static PlainChannels create(ChannelCatalog catalog, PlainChannelsOptions options, ChannelAuthenticator authenticator,
                                  ScheduledExecutorService scheduler) {
        return create(catalog, options, authenticator, RoomAccess.anyRoom(), List.of(), scheduler);
    }

    /**
     * @param rooms          the server's rule for rooms a client asks to be in (the same as the namespaces')
     * @param publicChannels channel name globs anyone may subscribe to, whatever their namespace requires
     *                       (WS_PUBLIC_CHANNELS)
     */
    public static PlainChannels create(ChannelCatalog catalog, PlainChannelsOptions options, ChannelAuthenticator authenticator,
                                  RoomAccess rooms, List<String> publicChannels, ScheduledExecutorService scheduler) {
        return new PlainChannels(Objects.requireNonNull(catalog), Objects.requireNonNull(options),
                Objects.requireNonNull(authenticator), Objects.requireNonNull(rooms), List.copyOf(publicChannels),
                Objects.requireNonNull(scheduler), new ObjectMapper());
    }

    /** The plain WebSocket route to declare on the public port. */
    public WebSocketRoute endpoint() {
        return endpoint;
    }

    /**
     * The namespaces' broadcast listeners ({@code SocketIoServer.Builder#broadcastListener}): every broadcast a
     * namespace delivers on this node, made here or arrived from another node through a cluster adapter, reaches
     * the plain subscribers of the mapped channel; a cluster adapter does not skip rooms only they listen to.
     */
    public BroadcastListener.Factory broadcastListeners() {
        return ChannelBroadcastListener.factory(hub);
    }

    /**
     * Where plain publishes go: {@code namespaces} returns the served namespace of a name (null when not served:
     * then only plain subscribers get it); {@code socketIoConnections} feeds the metrics snapshot.
     */
    public PlainChannels bind(Function<String, Namespace> namespaces, IntSupplier socketIoConnections) {
        hub.bind(Objects.requireNonNull(namespaces));
        this.socketIoConnections = Objects.requireNonNull(socketIoConnections);
        return this;
    }

    /** {@code namespace.to(room).emit(event, data)} reaching Socket.IO and plain subscribers (the PostgreSQL bridge). */
    public int relay(String namespace, String room, String event, Object data) {
        return hub.relay(namespace, room, event, data);
    }

    public int connections() {
        return endpoint.connections();
    }

    /** Subscribers per channel name. */
    public Map<String, Integer> subscriberCounts() {
        return hub.subscriberCounts();
    }

    /**
     * For /health and /stats: {@code {connections, channelCount, subscribers: {channel: n}, subscribersTruncated,
     * eventsPerMinute, refusals}}; at most {@link #MAX_CHANNELS_LISTED} channels are listed.
     */
    public Map<String, Object> report() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("connections", endpoint.connections());
        Map<String, Integer> counts = hub.subscriberCounts();
        body.put("channelCount", counts.size());
        body.put("subscribers", counts.size() <= MAX_CHANNELS_LISTED ? counts : first(counts));
        body.put("subscribersTruncated", counts.size() > MAX_CHANNELS_LISTED);
        body.put("eventsPerMinute", hub.eventsPerMinute());
        body.put("refusals", endpoint.refusals());
        return body;
    }

    private static Map<String, Integer> first(Map<String, Integer> counts) {
        Map<String, Integer> first = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (first.size() == MAX_CHANNELS_LISTED) break;
            first.put(e.getKey(), e.getValue());
        }
        return first;
    }

    /** For the public /health: counts only (channel names can carry session ids, which are credentials). */
    public Map<String, Object> summary() {
        Map<String, Integer> counts = hub.subscriberCounts();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("connections", endpoint.connections());
        body.put("channelCount", counts.size());
        body.put("subscriptions", total(counts));
        body.put("eventsPerMinute", hub.eventsPerMinute());
        return body;
    }

    /** The public `metrics` channel's snapshot: counts only, as {@link #summary()}. */
    private Map<String, Object> snapshot() {
        Map<String, Integer> counts = hub.subscriberCounts();
        return MetricsFeed.map(
                "connections", MetricsFeed.map("plain", endpoint.connections(), "socketio", socketIoConnections.getAsInt()),
                "channels", MetricsFeed.map("count", counts.size(), "subscriptions", total(counts)),
                "eventsPerMinute", hub.eventsPerMinute());
    }

    private static int total(Map<String, Integer> counts) {
        int total = 0;
        for (int n : counts.values()) {
            total += n;
        }
        return total;
    }

    /** Stops the metrics feed and closes every plain connection with 1001 (clients reconnect). Call before the
     * Socket.IO server closes, while its I/O threads can still write the close frames. */
    @Override
    public void close() {
        metrics.close();
        endpoint.closeAll();
    }
}
