package dev.switchboard.emitapi;

import dev.switchboard.engineio.HostCheck;

import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;

/**
 * The HTTP API backends call (default 127.0.0.1:3008): {@code POST /emit} ({@link EmitRoute}), {@code POST /emit/batch},
 * {@code GET /health}, {@code GET /stats}, {@code GET /metrics}. Every error is
 * {@code {success:false, error:{code, message}}} with a matching status.
 */
public final class EmitApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmitApi.class);
    private static final String JSON = "application/json";

    private final EmitApiOptions options;
    private final HealthReport health;
    private final SwitchboardMetrics metrics;
    private final BearerAuth auth;
    private final EmitEndpoint endpoint;
    private final BrowserGuard browserGuard;
    private final ApiConnectionGuard connectionGuard;
    private Javalin app;
    private Server server;

    public EmitApi(EmitApiOptions options, ServerView view, SwitchboardMetrics metrics, HealthReport health) {
        this.options = options;
        this.health = health;
        this.metrics = metrics;
        this.auth = new BearerAuth(options.token());
        this.endpoint = new EmitEndpoint(new Emitter(view, metrics), auth, metrics, options.maxBodyBytes(),
                options.maxBatchItems());
        this.browserGuard = new BrowserGuard(HostCheck.loopbackAnd(options.allowedHosts()), auth, metrics);
        this.connectionGuard = new ApiConnectionGuard(options.maxConnectionsPerIp(), options.requestTimeout(), metrics);
    }

    /** The emit path, for the public port's {@code POST /emit} (same answers and errors as this port's). */
    public EmitEndpoint endpoint() {
        return endpoint;
    }

    /** The Host and cross-site rule of this port, for the public port's {@code POST /emit}. */
    public BrowserGuard browserGuard() {
        return browserGuard;
    }

    /** Binds {@code host:port}; throws when the port cannot be bound. */
    public EmitApi start() {
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.addConnector((server, http) -> connector(server, http));
            config.http.maxRequestSize = options.maxBodyBytes();
            // answers are tens of bytes to a few KiB on loopback: compressing them costs more than it saves
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.jetty.threadPool = threadPool(options.selectors());
            // the Host / cross-site check comes first for every route; POST /emit, the hot path, is answered on
            // the selector thread (SelectorEmitHandler), /emit/batch ahead of Javalin's servlet (see EmitRoute) on a
            // pool thread; the rest falls through to Javalin, which adds its servlet to the Sequence
            config.jetty.modifyServer(server -> {
                this.server = server;
                server.setErrorHandler(new JsonErrorHandler()); // what Jetty answers itself is JSON too
                EmitRoute emitRoute = new EmitRoute(endpoint);
                server.setHandler(new SelectorEmitHandler(new BrowserCheck(browserGuard), emitRoute,
                        new org.eclipse.jetty.server.Handler.Sequence(emitRoute)));
            });
            config.routes.get("/health", this::health);
            config.routes.get("/stats", authorized(this::stats));
            config.routes.get("/metrics", authorized(this::metrics));
            config.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage()));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(),
                    codeFor(e.getStatus()), e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.error("api request failed method={} path={}", ctx.method(), ctx.path(), e);
                error(ctx, 500, "INTERNAL_ERROR", "internal error");
            });
            config.routes.error(404, ctx -> {
                if (!isJson(ctx)) {
                    error(ctx, 404, "NOT_FOUND", "no route " + ctx.method() + " " + ctx.path());
                }
            });
            config.routes.error(405, ctx -> {
                if (!isJson(ctx)) {
                    error(ctx, 405, "METHOD_NOT_ALLOWED", "method " + ctx.method() + " not allowed on " + ctx.path());
                }
            });
        });
        app.start();
        for (Connector connector : server.getConnectors()) {
            connector.addEventListener(connectionGuard);
        }
        connectionGuard.start(server.getConnectors()[0].getScheduler());
        log.info("api listening host={} port={} auth={} allowedHosts={} requestTimeoutMs={} maxConnectionsPerIp={}",
                options.host(), app.port(), auth.required() ? "bearer" : "none", options.allowedHosts(),
                options.requestTimeout().toMillis(), options.maxConnectionsPerIp());
        return this;
    }

    /** POST /emit runs on the selector that read it (SelectorEmitHandler): their count is the emit's threads. */
    private ServerConnector connector(Server server, HttpConfiguration http) {
        ServerConnector connector = new ServerConnector(server, 1, options.selectors(),
                new HttpConnectionFactory(http));
        connector.setHost(options.host());
        connector.setPort(options.port());
        return connector;
    }

    /**
     * A small fixed pool without reserved threads: handlers here never wait on anything but the request body
     * (Redis publishes are async), and Javalin's default (8..250 threads, reserved threads on) hands each
     * request over between more threads. Measured on 2 cores, 32 keep-alive callers: about 0.62 instead of 0.93
     * context switches and ~20 % less CPU per POST /emit. Sized by cores, never below 8, and always 4 workers
     * beside the acceptor and the selectors, which hold a thread of it each. No route here holds a worker while a
     * body arrives: /emit and /emit/batch read theirs asynchronously (EmitRoute), the Javalin routes take none.
     */
    private static QueuedThreadPool threadPool(int selectors) {
        int threads = Math.max(Math.max(8, 4 * Runtime.getRuntime().availableProcessors()), 1 + selectors + 4);
        QueuedThreadPool pool = new QueuedThreadPool(threads, threads);
        pool.setReservedThreads(0);
        pool.setName("api");
        return pool;
    }

    public int port() {
        return app.port();
    }

    /** How many selector threads read (and answer POST /emit on) the port. */
    int selectors() {
        return ((ServerConnector) server.getConnectors()[0]).getSelectorManager().getSelectorCount();
    }

    /** NON_BLOCKING when Jetty runs a request on the thread that read it (see {@link SelectorEmitHandler}). */
    org.eclipse.jetty.util.thread.Invocable.InvocationType invocationType() {
        return server.getInvocationType();
    }

    @Override
    public void close() {
        if (app != null) {
            connectionGuard.stop();
            app.stop();
            log.info("api stopped");
        }
    }

    private Handler authorized(Handler handler) {
        if (!auth.required()) {
            return handler;
        }
        return ctx -> {
            ApiException refusal = auth.refusal(ctx.header("Authorization"));
            if (refusal != null) {
                endpoint.refused(refusal, ctx.method().name(), ctx.path(), ctx.ip());
                ctx.header("WWW-Authenticate", BearerAuth.CHALLENGE);
                throw refusal;
            }
            handler.handle(ctx);
        };
    }

    private void health(Context ctx) {
        ctx.status(health.status().httpStatus()).contentType(JSON).result(health.healthJson());
    }

    private void stats(Context ctx) {
        json(ctx, 200, health.stats());
    }

    private void metrics(Context ctx) {
        ctx.status(200).contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }

    private static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType(JSON).result(Json.bytes(body));
    }

    private static void error(Context ctx, int status, String code, String message) {
        ctx.status(status).contentType(JSON).result(ApiErrors.bytes(code, message));
    }

    private static boolean isJson(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith(JSON);
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 400 -> "BAD_REQUEST";
            case 401 -> "UNAUTHORIZED";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 413 -> "BODY_TOO_LARGE";
            default -> "HTTP_" + status;
        };
    }
}
