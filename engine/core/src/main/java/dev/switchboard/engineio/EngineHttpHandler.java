package dev.switchboard.engineio;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry of every HTTP request: Engine.IO endpoints (handshake, polling, WebSocket), plain routes, else 404.
 * Validation follows Node's engine.io (error codes 0-5).
 */
@ChannelHandler.Sharable
final class EngineHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(EngineHttpHandler.class);
    private static final byte[] NOT_FOUND = "{\"code\":404,\"message\":\"Not found\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ROUTE_FAILED = "{\"code\":500,\"message\":\"Internal error\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] HOST_REFUSED = "{\"code\":403,\"message\":\"Host not allowed\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] HANDSHAKE_TOO_LARGE =
            "{\"code\":431,\"message\":\"Handshake too large\"}".getBytes(StandardCharsets.UTF_8);

    private final EngineIoOptions options;
    private final RouteTable routes;
    private final SessionRegistry registry;
    private final CorsPolicy cors;
    private final WebSocketDecoderConfig wsConfig;
    private final SessionAdmission admission;
    private final RefusalLog refusals;
    private final OutboundMemoryGuard memoryGuard;

    EngineHttpHandler(EngineIoOptions options, RouteTable routes, SessionRegistry registry, SessionAdmission admission,
                      RefusalLog refusals, OutboundMemoryGuard memoryGuard) {
        this.refusals = refusals;
        this.memoryGuard = memoryGuard;
        this.options = options;
        this.routes = routes;
        this.registry = registry;
        this.admission = admission;
        this.cors = new CorsPolicy(options.corsOrigins(), options.corsCredentials());
        this.wsConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(options.maxPayload())
                .allowExtensions(options.perMessageDeflate())
                .closeOnProtocolViolation(true)
                .build();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        Channel ch = ctx.channel();
        if (!req.decoderResult().isSuccess()) {
            HttpResponses.write(ch, false, HttpResponseStatus.BAD_REQUEST, HttpResponses.TEXT_PLAIN,
                    Unpooled.copiedBuffer("Bad Request", StandardCharsets.US_ASCII), null);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (!options.hostCheck().allows(req.headers().get(HttpHeaderNames.HOST))) {
            refusals.refused("host_not_allowed", ch.remoteAddress());
            HttpResponses.write(ch, false, HttpResponseStatus.FORBIDDEN, HttpResponses.JSON,
                    Unpooled.wrappedBuffer(HOST_REFUSED), null);
            return;
        }
        QueryStringDecoder qs = new QueryStringDecoder(req.uri());
        Consumer<EngineSocket> endpoint = routes.endpoint(qs.path());
        if (endpoint != null) {
            handleEngine(ctx, req, qs, endpoint, keepAlive);
            return;
        }
        WebSocketRoute webSocket = routes.webSocket(qs.path());
        if (webSocket != null) {
            handlePlainWebSocket(ctx, req, qs, webSocket);
            return;
        }
        HttpRoute route = routes.route(req.method().name(), qs.path());
        HttpReply reply;
        if (route == null) {
            reply = HttpReply.json(404, NOT_FOUND);
        } else {
            try {
                reply = route.handle(new RouteRequest(req, qs, (InetSocketAddress) ch.remoteAddress()));
                if (reply == null) reply = HttpReply.json(500, ROUTE_FAILED);
            } catch (Exception e) {
                log.warn("http route failed method={} path={}", req.method(), qs.path(), e);
                reply = HttpReply.json(500, ROUTE_FAILED);
            }
        }
        HttpHeaders extra = null;
        if (!reply.headers().isEmpty()) {
            extra = new io.netty.handler.codec.http.DefaultHttpHeaders();
            for (Map.Entry<String, String> h : reply.headers().entrySet()) extra.set(h.getKey(), h.getValue());
        }
        HttpResponses.write(ch, keepAlive, HttpResponseStatus.valueOf(reply.status()), reply.contentType(),
                Unpooled.wrappedBuffer(reply.body()), extra);
    }

    private void handleEngine(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder qs,
                              Consumer<EngineSocket> endpoint, boolean keepAlive) {
        Channel ch = ctx.channel();
        HttpHeaders headers = req.headers();
        String origin = headers.get(HttpHeaderNames.ORIGIN);
        boolean upgrade = isWebSocketUpgrade(headers);
        if (upgrade) keepAlive = false; // error answers to an upgrade end the connection
        if (!cors.allows(origin, headers.get(HttpHeaderNames.HOST))) {
            log.debug("engine.io origin refused origin={} remote={}", origin, ch.remoteAddress());
            HttpResponses.engineError(ch, keepAlive, HttpResponses.FORBIDDEN, null);
            return;
        }
        HttpHeaders corsHeaders = cors.responseHeaders(origin);
        if (HttpMethod.OPTIONS.equals(req.method())) {
            HttpResponses.write(ch, keepAlive, HttpResponseStatus.NO_CONTENT, null, Unpooled.EMPTY_BUFFER,
                    cors.preflightHeaders(origin, headers.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS)));
            return;
        }
        String transport = param(qs, "transport");
        if (transport == null || !options.transports().contains(transport)) {
            HttpResponses.engineError(ch, keepAlive, HttpResponses.TRANSPORT_UNKNOWN, corsHeaders);
            return;
        }
        if (param(qs, "j") != null) {
            // JSONP polling (Engine.IO v3 fallback for browsers without XHR) is not served
            HttpResponses.engineError(ch, keepAlive, HttpResponses.BAD_REQUEST, corsHeaders);
            return;
        }
        String sid = param(qs, "sid");
        if (sid != null) {
            EngineSession session = registry.get(sid);
            if (session == null) {
                HttpResponses.engineError(ch, keepAlive, HttpResponses.UNKNOWN_SID, corsHeaders);
            } else if (upgrade) {
                if (!"websocket".equals(transport)) {
                    HttpResponses.engineError(ch, false, HttpResponses.BAD_REQUEST, corsHeaders);
                    return;
                }
                WebSocketServerHandshaker handshaker = handshaker(req);
                if (handshaker == null) {
                    WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ch).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                WebSocketTransport ws = new WebSocketTransport(ch, session.protocol(), options.perMessageDeflate());
                ws.bind(session); // frames read after the 101 reach the session behind the offer
                // The offer takes its place in the session's arrival order before the 101 leaves, so a WebSocket the
                // client opens after this one's 101 is always offered after it. A refused offer (e.g. already
                // upgraded) closes on this connection's loop after the 101, as Node's server does: never a
                // connection dropped mid-handshake.
                session.runInArrivalOrder(() -> session.offerUpgrade(ws));
                acceptWebSocket(ctx, req, ws, handshaker);
            } else if (!"polling".equals(transport)) {
                HttpResponses.engineError(ch, keepAlive, HttpResponses.BAD_REQUEST, corsHeaders);
            } else if (HttpMethod.GET.equals(req.method())) {
                PollRequest get = new PollRequest(ch, keepAlive, corsHeaders, null, false);
                handOver(ch, session, () -> session.onPollGet(get), 0);
            } else if (HttpMethod.POST.equals(req.method())) {
                byte[] body = ByteBufUtil.getBytes(req.content());
                boolean octet = headers.contains(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM, true);
                PollRequest post = new PollRequest(ch, keepAlive, corsHeaders, body, octet);
                handOver(ch, session, () -> session.onPollPost(post), body.length);
            } else {
                HttpResponses.engineError(ch, keepAlive, HttpResponses.BAD_REQUEST, corsHeaders);
            }
            return;
        }
        if (!HttpMethod.GET.equals(req.method())) {
            HttpResponses.engineError(ch, keepAlive, HttpResponses.BAD_HANDSHAKE_METHOD, corsHeaders);
            return;
        }
        String eio = param(qs, "EIO");
        int protocol = "4".equals(eio) ? 4 : "3".equals(eio) && options.allowEio3() ? 3 : -1;
        if (protocol < 0) {
            HttpResponses.engineError(ch, keepAlive, HttpResponses.UNSUPPORTED_PROTOCOL_VERSION, corsHeaders);
            return;
        }
        if ("websocket".equals(transport) != upgrade) {
            HttpResponses.engineError(ch, keepAlive, HttpResponses.BAD_REQUEST, corsHeaders);
            return;
        }
        EngineRequest request = engineRequest(req, qs, ch, options.handshakeHeaders());
        if (keptChars(request) > options.maxHandshakeBytes()) {
            refusals.refused("handshake_too_large", ch.remoteAddress());
            HttpResponses.write(ch, false, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, HttpResponses.JSON,
                    Unpooled.wrappedBuffer(HANDSHAKE_TOO_LARGE), corsHeaders);
            return;
        }
        String address = ClientAddress.of(request.remoteAddress(), headers::getAll, options.trustProxy());
        SessionAdmission.Ticket ticket = admission.admit(address);
        if (ticket.refusal() != null) {
            refuse(ch, ticket.refusal(), address, corsHeaders);
            return;
        }
        EngineSession session = new EngineSession(registry.newSid(), protocol, request, ch.eventLoop(), options, registry,
                ticket, memoryGuard);
        if (upgrade) {
            WebSocketServerHandshaker handshaker = handshaker(req);
            if (handshaker == null) {
                ticket.release();
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ch).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            WebSocketTransport ws = new WebSocketTransport(ch, protocol, options.perMessageDeflate());
            acceptWebSocket(ctx, req, ws, handshaker);
            session.openWithWebSocket(ws, endpoint);
        } else {
            session.openWithPolling(new PollRequest(ch, keepAlive, corsHeaders, null, false), endpoint);
        }
    }

    /** A handshake refused by admission: answered at once, JSON like Node's errors, and the connection closed. */
    private void refuse(Channel ch, SessionAdmission.Refusal refusal, String address, HttpHeaders corsHeaders) {
        refusals.refused(refusal.reason, address);
        HttpHeaders extra = new io.netty.handler.codec.http.DefaultHttpHeaders();
        if (corsHeaders != null) extra.add(corsHeaders);
        extra.set(HttpHeaderNames.RETRY_AFTER, "1");
        String body = "{\"code\":" + refusal.status + ",\"message\":\"" + refusal.message + "\"}";
        HttpResponses.write(ch, false, HttpResponseStatus.valueOf(refusal.status), HttpResponses.JSON,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8), extra);
    }

    /** A plain WebSocket route: same Origin check as Engine.IO, 426 without an upgrade. */
    private void handlePlainWebSocket(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder qs,
                                      WebSocketRoute route) {
        Channel ch = ctx.channel();
        if (!cors.allows(req.headers().get(HttpHeaderNames.ORIGIN), req.headers().get(HttpHeaderNames.HOST))) {
            log.debug("websocket origin refused path={} remote={}", qs.path(), ch.remoteAddress());
            HttpResponses.write(ch, false, HttpResponseStatus.FORBIDDEN, HttpResponses.TEXT_PLAIN,
                    Unpooled.copiedBuffer("Origin not allowed", StandardCharsets.US_ASCII), null);
        } else if (!HttpMethod.GET.equals(req.method()) || !isWebSocketUpgrade(req.headers())) {
            HttpResponses.write(ch, false, HttpResponseStatus.UPGRADE_REQUIRED, HttpResponses.TEXT_PLAIN,
                    Unpooled.copiedBuffer("WebSocket upgrade required", StandardCharsets.US_ASCII), null);
        } else {
            PlainWebSocketHandler.accept(ctx, req, qs, route, options, wsConfig, this, memoryGuard);
        }
    }

    /** The handshaker for this upgrade request, or null when its WebSocket version is not supported. */
    private WebSocketServerHandshaker handshaker(FullHttpRequest req) {
        String url = "ws://" + req.headers().get(HttpHeaderNames.HOST, "localhost") + req.uri();
        return new WebSocketServerHandshakerFactory(url, null, wsConfig).newHandshaker(req);
    }

    /**
     * Hands a poll to its session, counted against the session's bound on queued packets; past it the connection
     * is closed (an answer now would overtake those of the requests queued before it) and the session ends.
     */
    private static void handOver(Channel ch, EngineSession session, Runnable poll, int bytes) {
        if (session.runPacketInArrivalOrder(poll, bytes)) return;
        session.inboundOverflow("polling"); // first: its log line shows the queue as it was when the poll was refused
        ch.config().setAutoRead(false);
        ch.close();
    }

    /** Answers 101 and turns this connection's pipeline into a WebSocket one feeding the transport. */
    private void acceptWebSocket(ChannelHandlerContext ctx, FullHttpRequest req, WebSocketTransport transport,
                                 WebSocketServerHandshaker handshaker) {
        Channel ch = ctx.channel();
        ChannelPipeline pipeline = ctx.pipeline();
        handshaker.handshake(ch, req).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        pipeline.addLast("ws-engine", new WebSocketFrameHandler(transport, options.maxPayload()));
        pipeline.remove(this);
        if (pipeline.get("http-idle") != null) pipeline.remove("http-idle"); // the heartbeat watches WebSockets
        RequestHeadDeadline.remove(pipeline);
        HttpReadBackpressure.remove(pipeline);
    }

    /** What the session keeps of its handshake: the URI, the query and only the headers handlers read. */
    private static EngineRequest engineRequest(FullHttpRequest req, QueryStringDecoder qs, Channel ch,
                                               java.util.Set<String> keptHeaders) {
        CompactMultiMap.Builder headers = new CompactMultiMap.Builder();
        for (Map.Entry<String, String> h : req.headers()) {
            String name = h.getKey().toLowerCase(java.util.Locale.ROOT);
            if (keptHeaders.contains(name)) headers.add(name, h.getValue());
        }
        CompactMultiMap.Builder query = new CompactMultiMap.Builder();
        qs.parameters().forEach((k, values) -> values.forEach(v -> query.add(k, v)));
        return new EngineRequest(StringDedup.of(req.uri()), query.build(), headers.build(),
                (InetSocketAddress) ch.remoteAddress(), false, System.currentTimeMillis());
    }

    private static long keptChars(EngineRequest request) {
        long chars = request.uri().length();
        for (Map.Entry<String, List<String>> e : request.query().entrySet()) {
            for (String v : e.getValue()) chars += e.getKey().length() + v.length();
        }
        for (Map.Entry<String, List<String>> e : request.headers().entrySet()) {
            for (String v : e.getValue()) chars += e.getKey().length() + v.length();
        }
        return chars;
    }

    private static boolean isWebSocketUpgrade(HttpHeaders headers) {
        return headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && headers.contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    private static String param(QueryStringDecoder qs, String name) {
        List<String> values = qs.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            log.debug("http connection idle, closing remote={}", ctx.channel().remoteAddress());
            ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("http connection error remote={} error={}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
