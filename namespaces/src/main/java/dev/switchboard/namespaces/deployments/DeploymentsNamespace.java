package dev.switchboard.namespaces.deployments;

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
import com.fasterxml.jackson.databind.ObjectMapper;

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
import dev.switchboard.namespaces.core.StreamSink;
import dev.switchboard.namespaces.core.Upstream;
import dev.switchboard.namespaces.logs.LogAdmissions;
import dev.switchboard.namespaces.logs.RequestArgs;
import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.RoomAccess;
import dev.switchboard.socketio.Socket;

/**
 * {@code /deployments}: PM2 processes (status, lifecycle events, logs) and plain log files.
 *
 * <pre>
 * client → server
 *   subscribe:logs     {deployment (name or pm_id), tail?=100 (0..LOGS_MAX_TAIL), stdout?=true, stderr?=true}  ack {ok:true}
 *   unsubscribe:logs   {deployment}                      ack {ok:true, unsubscribed:n}
 *   subscribe:status   {} (or none)                      ack {ok:true}
 *   unsubscribe:status                                   ack {ok:true, unsubscribed:n}
 *   list               ack [{name, id, status, restarts, uptime, cpu, memory, pid}] (without ack: a "list" event)
 * server → client
 *   connected      {namespace, events, files, limits}
 *   logs           {deployment, lines:[{stream, line}]}    batched like /services
 *   logs:notice    {deployment, message}
 *   status         {processes:[{name, id, status, restarts, uptime, cpu, memory, pid}]}   every PM2_POLL_MS, volatile
 *   process:event  {deployment, id, event, status, restarts}   to log and status subscribers
 *   stream:closed  {deployment, reason: "deleted", exitCode: null}
 *   error          {event, code: BAD_REQUEST|NOT_FOUND|BACKEND_UNAVAILABLE, message}
 * </pre>
 * Nothing of PM2's {@code pm2_env} (the app's environment) is ever sent. Log subscribers join the room named after
 * the deployment, which {@code POST /emit} (emitToDeployment) targets.
 */
public final class DeploymentsNamespace implements RunningNamespace {
    public static final NamespaceDefinition<Pm2Settings> DEFINITION =
            new NamespaceDefinition<>("/deployments", true, Pm2Settings::read, DeploymentsNamespace::new);
    private static final String SUBS_KEY = "switchboard.deployments.subscriptions";
    private static final String ALL = "all";

    // not static: the configuration reads DEFINITION before logging is set up (see NamespaceDefinition)
    private final Logger log = LoggerFactory.getLogger(DeploymentsNamespace.class);
    private final Pm2Settings settings;
    private final NamespaceContext context;
    private final ScheduledExecutorService scheduler;
    private final Pm2Monitor monitor;
    private final SharedStreams<DeploymentLogTopic> logs;
    private final SharedStreams<String> status;
    private final RoomAccess rooms;
    private final ClientEvents events = new ClientEvents()
            .on("subscribe:logs", this::parseLogSubscription, this::subscribeLogs)
            .on("unsubscribe:logs", DeploymentsNamespace::parseDeployment, this::unsubscribeLogs)
            .on("subscribe:status", this::subscribeStatus)
            .on("unsubscribe:status", this::unsubscribeStatus)
            .on("list", this::list);

    /** {@code deployment}: a DEPLOYMENT_LOGS name, a PM2 process name or a PM2 id, as the client wrote it. */
    private record LogSubscription(String deployment, int tail, RequestArgs.LogStreams streams) {
    }

    private DeploymentsNamespace(Pm2Settings settings, NamespaceContext context) {
        this.settings = settings;
        this.context = context;
        Namespace namespace = context.namespace();
        rooms = context.rooms();
        scheduler = BlockingPool.create("deployments-pm2", 2);
        Pm2RpcClient rpc = new Pm2RpcClient(settings.rpcSocket(), settings.rpcTimeout(), scheduler, new ObjectMapper());
        status = context.sharedStreams("status", this::openStatus, t -> t);
        monitor = new Pm2Monitor(rpc, scheduler, settings.pollEvery(), namespace, status.room(ALL));
        logs = context.sharedStreams("logs", new DeploymentLogProducer(settings, monitor, scheduler),
                DeploymentLogTopic::key);
        namespace.onConnection(this::onConnection);
        log.info("namespace installed namespace={} pm2Home={} files={}", namespace.name(), settings.pm2Home(),
                settings.logFiles().keySet());
    }

    /** The PM2 daemon answers {@code getMonitorData} on rpc.sock (bounded by PM2_RPC_TIMEOUT_MS). */
    @Override
    public List<BackendProbe> backends() {
        return List.of(new BackendProbe() {
            @Override
            public String backend() {
                return "pm2";
            }

            @Override
            public boolean answers() {
                try {
                    monitor.fetch();
                    return true;
                } catch (ProducerException | RuntimeException e) {
                    return false;
                }
            }
        });
    }

    private void onConnection(Socket socket) {
        socket.data().put(SUBS_KEY, ConcurrentHashMap.newKeySet());
        events.attach(socket);
        socket.onDisconnect(reason -> {
            logs.unsubscribeAll(socket);
            status.unsubscribeAll(socket);
        });
        Map<String, Object> hello = new LinkedHashMap<>();
        hello.put("namespace", context.namespace().name());
        hello.put("events", events.names());
        hello.put("files", List.copyOf(settings.logFiles().keySet()));
        hello.put("limits", settings.logLimits().greeting());
        socket.emit("connected", hello);
    }

    private LogSubscription parseLogSubscription(Event event) throws ProducerException {
        JsonNode args = RequestArgs.object(event.arg(0), event.name());
        String requested = RequestArgs.reference(args, "deployment");
        int tail = RequestArgs.tail(args, settings.defaultTail(), settings.maxTail());
        return new LogSubscription(requested, tail, RequestArgs.logStreams(args));
    }

    private Reply subscribeLogs(Socket socket, LogSubscription request) throws ProducerException {
        String name = resolve(request.deployment());
        ClientRooms.check(rooms, socket, name); // the subscriber joins the room named after the deployment
        DeploymentLogTopic topic = new DeploymentLogTopic(name, request.streams().stdout(), request.streams().stderr());
        LogAdmissions.subscribe(logs, socket, topic, request.tail(), null);
        topics(socket).add(topic);
        socket.join(name);
        return Reply.ok("deployment", name);
    }

    /** A DEPLOYMENT_LOGS name, a PM2 process name, or a PM2 id → the deployment's name. */
    private String resolve(String requested) throws ProducerException {
        if (settings.logFiles().containsKey(requested)) {
            return requested;
        }
        List<Pm2Process> processes = monitor.fetch();
        for (Pm2Process p : processes) {
            if (p.name().equals(requested)) {
                return p.name();
            }
        }
        for (Pm2Process p : processes) {
            if (Integer.toString(p.id()).equals(requested)) {
                return p.name();
            }
        }
        throw new ProducerException("NOT_FOUND", "no such deployment: " + requested);
    }

    private static String parseDeployment(Event event) throws ProducerException {
        JsonNode args = RequestArgs.object(event.arg(0), event.name());
        return RequestArgs.reference(args, "deployment");
    }

    private Reply unsubscribeLogs(Socket socket, String requested) throws ProducerException {
        Set<DeploymentLogTopic> mine = topics(socket);
        String name = requested;
        if (mine.stream().noneMatch(t -> t.deployment().equals(requested))) {
            name = resolve(requested); // subscribed by pm_id: find its name
        }
        int count = 0;
        for (DeploymentLogTopic topic : new ArrayList<>(mine)) {
            if (topic.deployment().equals(name)) {
                mine.remove(topic);
                if (logs.unsubscribe(socket, topic)) {
                    count++;
                }
            }
        }
        socket.leave(name);
        return Reply.ok("unsubscribed", count);
    }

    private Reply subscribeStatus(Socket socket) throws ProducerException {
        status.subscribe(socket, ALL);
        return Reply.ok();
    }

    private Reply unsubscribeStatus(Socket socket) {
        return Reply.ok("unsubscribed", status.unsubscribe(socket, ALL) ? 1 : 0);
    }

    private Reply list(Socket socket) throws ProducerException {
        return Reply.ackOrEmit("list", views(monitor.fetch()));
    }

    /** The status stream: one watcher on the shared PM2 poll, samples pushed volatile. */
    private Upstream openStatus(String topic, StreamSink sink) throws ProducerException {
        monitor.fetch(); // fails fast with BACKEND_UNAVAILABLE when PM2 is not running
        Pm2Monitor.Watcher watcher = new Pm2Monitor.Watcher() {
            @Override
            public void processes(List<Pm2Process> processes) {
                sink.emitVolatile("status", Map.of("processes", views(processes)));
            }

            @Override
            public void unavailable(String message) {
                Map<String, Object> notice = new LinkedHashMap<>();
                notice.put("message", "PM2 daemon unreachable: " + message);
                sink.emit("status:notice", notice);
            }
        };
        monitor.watch(watcher);
        return () -> monitor.unwatch(watcher);
    }

    private static List<Map<String, Object>> views(List<Pm2Process> processes) {
        long now = System.currentTimeMillis();
        List<Map<String, Object>> out = new ArrayList<>(processes.size());
        for (Pm2Process p : processes) {
            out.add(p.view(now));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Set<DeploymentLogTopic> topics(Socket socket) {
        return (Set<DeploymentLogTopic>) socket.data().computeIfAbsent(SUBS_KEY, k -> ConcurrentHashMap.newKeySet());
    }

    @Override
    public int activeStreams() {
        return context.activeStreams();
    }

    @Override
    public void close() {
        monitor.close();
        scheduler.shutdownNow();
    }
}
