package dev.switchboard.engineio;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/** {@link HttpRouteRequest} over a Netty request; copies what it keeps (the Netty request is released after). */
final class RouteRequest implements HttpRouteRequest {
    private final String method;
    private final String path;
    private final Map<String, List<String>> query;
    private final HttpHeaders headers;
    private final InetSocketAddress remote;
    private final byte[] body;

    RouteRequest(FullHttpRequest request, QueryStringDecoder qs, InetSocketAddress remote) {
        this.method = request.method().name();
        this.path = qs.path();
        this.query = Map.copyOf(qs.parameters());
        this.headers = request.headers().copy();
        this.remote = remote;
        this.body = ByteBufUtil.getBytes(request.content());
    }

    @Override public String method() { return method; }
    @Override public String path() { return path; }
    @Override public Map<String, List<String>> query() { return query; }
    @Override public String header(String name) { return headers.get(name); }
    @Override public List<String> headerValues(String name) { return headers.getAll(name); }
    @Override public InetSocketAddress remoteAddress() { return remote; }
    @Override public byte[] body() { return body.clone(); }
}
