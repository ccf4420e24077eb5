package dev.switchboard.namespaces.services;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.Container;

import dev.switchboard.namespaces.core.BackendProbe;
import dev.switchboard.namespaces.core.BlockingPool;
import dev.switchboard.namespaces.core.ClientEvents;
import dev.switchboard.namespaces.core.ClientRooms;
import dev.switchboard.namespaces.core.NamespaceContext;
import dev.switchboard.namespaces.core.NamespaceDefinition;
import dev.switchboard.namespaces.core.ProducerException;
import dev.switchboard.namespaces.core.Reply;
import dev.switchboard.namespaces.core.RunningNamespace;
import dev.switchboard.namespaces.core.SharedStreams;
import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.RoomAccess;
import dev.switchboard.socketio.Socket;
import dev.switchboard.namespaces.logs.LogAdmissions;
import dev.switchboard.namespaces.logs.RequestArgs;

/**
 * {@code /services}: Docker container logs, stats and lifecycle events.
 *
 * <pre>
 * client → server (the container as container, containerId, containerName or id, or a plain string)
 *   subscribe:logs   {container, serviceId?, tail?=100 (0..LOGS_MAX_TAIL), since?, stdout?=true, stderr?=true, timestamps?=true}  ack {ok:true}
 *   unsubscribe:logs {container}                      ack {ok:true, unsubscribed:n}
 *   subscribe:stats  {container, serviceId?}          ack {ok:true}
 *   unsubscribe:stats {container}                     ack {ok:true, unsubscribed:n}
 *   list             ack [{id, name, names, image, state, status, created}] (without ack: a "list" event)
 * server → client
 *   connected        {namespace, events, limits}
 *   logs             {container, lines:[{stream, line, timestamp?}], data: the lines' text joined by \n}   batched: ≤ LOGS_BATCH_LINES lines, flushed every LOGS_FLUSH_MS
 *   logs:notice      {container, message}               engine unreachable / resumed / waiting for restart
 *   stats            {container, time, cpuPercent, memory{usage,limit,percent}, network{rxBytes,txBytes}, blockIo{readBytes,writeBytes}, pids}
 *   stats:notice     {container, message}
 *   container:event  {container, containerId, action, exitCode?, time}
 *   stream:closed    {container, containerId, reason: exited|removed, exitCode}
 *   error            {event, code: BAD_REQUEST|NOT_FOUND|NOT_RUNNING|BACKEND_UNAVAILABLE, message}
 * </pre>
 * Subscribers that give {@code serviceId} also join the room of that name ({@code POST /emit} reaches them).
 */
public final class ServicesNamespace implements RunningNamespace {
    public static final NamespaceDefinition<DockerSettings> DEFINITION =
            new NamespaceDefinition<>("/services", true, DockerSettings::read, ServicesNamespace::new);
    /** Log topics, and separately stats streams, one socket may hold (each its own Docker follow). */
    static final int MAX_SUBSCRIPTIONS_PER_SOCKET = 64;
    private static final String SUBS_KEY = "switchboard.services.subscriptions";

    // not static: the configuration reads DEFINITION before logging is set up (see NamespaceDefinition)
    private final Logger log = LoggerFactory.getLogger(ServicesNamespace.class);
    private final DockerSettings settings;
    private final NamespaceContext context;
    private final DockerClients docker;
    private final ScheduledExecutorService scheduler;
    private final ContainerEvents events;
    private final ContainerLogProducer logFollows;
    private final ContainerStatsProducer statsFollows;
    private final SharedStreams<LogTopic> logs;
    private final SharedStreams<String> stats;
    private final RoomAccess rooms;
    private final ClientEvents clientEvents = new ClientEvents()
            .on("subscribe:logs", this::parseLogSubscription, this::subscribeLogs)
            .on("unsubscribe:logs", ServicesNamespace::parseContainer, this::unsubscribeLogs)
            .on("subscribe:stats", this::parseStatsSubscription, this::subscribeStats)
            .on("unsubscribe:stats", ServicesNamespace::parseContainer, this::unsubscribeStats)
            .on("list", this::list);

    private record LogSubscription(LogTopic topic, String serviceId, int tail, String since) {
    }

    private record StatsSubscription(String container, String serviceId) {
    }

    private ServicesNamespace(DockerSettings settings, NamespaceContext context) {
        this.settings = settings;
        this.context = context;
        rooms = context.rooms();
        scheduler = BlockingPool.create("services-docker", 2);
        docker = new DockerClients(settings);
        events = new ContainerEvents(docker, scheduler, settings);
        logFollows = new ContainerLogProducer(docker, settings, scheduler, events);
        statsFollows = new ContainerStatsProducer(docker, settings, scheduler, events);
        logs = context.sharedStreams("logs", logFollows, LogTopic::key);
        stats = context.sharedStreams("stats", statsFollows, c -> c);
        context.namespace().onConnection(this::onConnection);
        log.info("namespace installed namespace={} dockerHost={}", context.namespace().name(), settings.dockerHost());
    }

    private void onConnection(Socket socket) {
        socket.data().put(SUBS_KEY, new Subscriptions());
        clientEvents.attach(socket);
        socket.onDisconnect(reason -> {
            logs.unsubscribeAll(socket);
            stats.unsubscribeAll(socket);
        });
        Map<String, Object> hello = new LinkedHashMap<>();
        hello.put("namespace", context.namespace().name());
        hello.put("events", clientEvents.names());
        hello.put("limits", settings.logLimits().greeting());
        socket.emit("connected", hello);
    }

    private LogSubscription parseLogSubscription(Event event) throws ProducerException {
        JsonNode args = ContainerRequest.normalize(event.arg(0), event.name());
        String container = RequestArgs.reference(args, "container");
        String serviceId = serviceId(args, event.socket());
        int tail = RequestArgs.tail(args, settings.defaultTail(), settings.maxTail());
        String since = RequestArgs.since(args);
        boolean timestamps = RequestArgs.flag(args, "timestamps", true);
        RequestArgs.LogStreams streams = RequestArgs.logStreams(args);
        return new LogSubscription(new LogTopic(container, streams.stdout(), streams.stderr(), timestamps), serviceId,
                tail, since);
    }

    private Reply subscribeLogs(Socket socket, LogSubscription request) throws ProducerException {
        LogTopic topic = request.topic();
        checkRoom(logs, socket, subscriptions(socket).logs.keySet(), topic, "log subscriptions");
        if (!LogAdmissions.subscribe(logs, socket, topic, request.tail(), request.since())) {
            return Reply.none(); // it left (disconnected) while the stream opened: it holds nothing
        }
        subscriptions(socket).logs.put(topic, request.serviceId() == null ? "" : request.serviceId());
        joinService(socket, request.serviceId());
        return Reply.ok("container", topic.container());
    }

    private static String parseContainer(Event event) throws ProducerException {
        JsonNode args = ContainerRequest.normalize(event.arg(0), event.name());
        return RequestArgs.reference(args, "container");
    }

    private Reply unsubscribeLogs(Socket socket, String container) {
        Subscriptions subs = subscriptions(socket);
        int count = 0;
        for (LogTopic topic : new ArrayList<>(subs.logs.keySet())) {
            if (topic.container().equals(container)) {
                if (logs.unsubscribe(socket, topic)) {
                    count++;
                }
                leaveService(socket, subs.logs.remove(topic));
            }
        }
        return Reply.ok("unsubscribed", count);
    }

    private StatsSubscription parseStatsSubscription(Event event) throws ProducerException {
        JsonNode args = ContainerRequest.normalize(event.arg(0), event.name());
        String container = RequestArgs.reference(args, "container");
        return new StatsSubscription(container, serviceId(args, event.socket()));
    }

    private Reply subscribeStats(Socket socket, StatsSubscription request) throws ProducerException {
        checkRoom(stats, socket, subscriptions(socket).stats.keySet(), request.container(), "stats subscriptions");
        if (!stats.subscribe(socket, request.container())) {
            return Reply.none(); // it left (disconnected) while the stream opened: it holds nothing
        }
        subscriptions(socket).stats.put(request.container(), request.serviceId() == null ? "" : request.serviceId());
        joinService(socket, request.serviceId());
        return Reply.ok("container", request.container());
    }

    private Reply unsubscribeStats(Socket socket, String container) {
        int count = stats.unsubscribe(socket, container) ? 1 : 0;
        leaveService(socket, subscriptions(socket).stats.remove(container));
        return Reply.ok("unsubscribed", count);
    }

    private Reply list(Socket socket) throws ProducerException {
        List<Container> containers;
        try {
            containers = docker.requests().listContainersCmd().withShowAll(true).exec();
        } catch (RuntimeException e) {
            throw DockerErrors.translate("*", e);
        }
        List<Map<String, Object>> out = new ArrayList<>(containers.size());
        for (Container c : containers) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", c.getId());
            String[] names = c.getNames() == null ? new String[0] : c.getNames();
            List<String> clean = new ArrayList<>(names.length);
            for (String n : names) {
                clean.add(n.startsWith("/") ? n.substring(1) : n);
            }
            item.put("name", clean.isEmpty() ? null : clean.get(0));
            item.put("names", clean);
            item.put("image", c.getImage());
            item.put("state", c.getState());
            item.put("status", c.getStatus());
            item.put("created", c.getCreated());
            out.add(item);
        }
        return Reply.ackOrEmit("list", out);
    }

    /** The optional serviceId: a room the client asks for, so it passes the room rule first (FORBIDDEN). */
    private String serviceId(JsonNode args, Socket socket) throws ProducerException {
        String serviceId = RequestArgs.optionalText(args, "serviceId", 200);
        if (serviceId != null) {
            ClientRooms.check(rooms, socket, serviceId);
        }
        return serviceId;
    }

    private void joinService(Socket socket, String serviceId) {
        if (serviceId != null) {
            socket.join(serviceId);
        }
    }

    /** Leaves the serviceId room once no subscription of the socket names it any more. */
    private void leaveService(Socket socket, String serviceId) {
        if (serviceId == null || serviceId.isEmpty()) {
            return;
        }
        Subscriptions subs = subscriptions(socket);
        if (!subs.logs.containsValue(serviceId) && !subs.stats.containsValue(serviceId)) {
            socket.leave(serviceId);
        }
    }

    /** LIMIT_EXCEEDED when the socket already holds the most topics of this kind and asks for a new one. */
    private static <T> void checkRoom(SharedStreams<T> streams, Socket socket, Set<T> recorded, T topic, String what)
            throws ProducerException {
        if (streams.isSubscribed(socket, topic)) {
            return;
        }
        long held = recorded.stream().filter(t -> streams.isSubscribed(socket, t)).count(); // not those ended by stream:closed
        if (held >= MAX_SUBSCRIPTIONS_PER_SOCKET) {
            throw new ProducerException("LIMIT_EXCEEDED", "at most " + MAX_SUBSCRIPTIONS_PER_SOCKET + " " + what
                    + " per connection; unsubscribe one first");
        }
    }

    private static Subscriptions subscriptions(Socket socket) {
        return (Subscriptions) socket.data().computeIfAbsent(SUBS_KEY, k -> new Subscriptions());
    }

    /** Docker log follows and stats streams open now: the names of one container share one of each. */
    @Override
    public int activeStreams() {
        return logFollows.openFollows() + statsFollows.openFollows();
    }

    /** dockerd answers {@code GET /_ping} (bounded by DOCKER_REQUEST_TIMEOUT_MS). */
    @Override
    public List<BackendProbe> backends() {
        return List.of(new BackendProbe() {
            @Override
            public String backend() {
                return "docker";
            }

            @Override
            public boolean answers() {
                try {
                    docker.requests().pingCmd().exec();
                    return true;
                } catch (RuntimeException e) {
                    return false;
                }
            }
        });
    }

    /** Streaming requests to dockerd open now (log follows and reads, stats, events): what dockerd serves us. */
    int openDockerStreams() {
        return docker.openStreams();
    }

    /** Log topics open now (one per container name asked for and stream selection; the names of one container share one Docker follow). */
    public int activeLogStreams() {
        return logs.activeStreams();
    }

    @Override
    public void close() {
        events.close();
        docker.close();
        scheduler.shutdownNow();
    }

    /** Per-socket record of its subscriptions and the serviceId each was made with ("" for none). */
    private static final class Subscriptions {
        final Map<LogTopic, String> logs = new ConcurrentHashMap<>();
        final Map<String, String> stats = new ConcurrentHashMap<>();
    }
}
