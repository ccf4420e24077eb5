package dev.switchboard.socketio;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import dev.switchboard.engineio.EngineRequest;

/** The Engine.IO handshake request plus one CONNECT packet's auth payload. */
final class ConnectHandshake implements Handshake {
    private final EngineRequest request;
    private final JsonNode auth;

    ConnectHandshake(EngineRequest request, JsonNode auth) {
        this.request = request;
        this.auth = auth == null ? MissingNode.getInstance() : auth;
    }

    @Override
    public String query(String name) {
        return request.queryParam(name);
    }

    @Override
    public Map<String, List<String>> queryParams() {
        return request.query();
    }

    @Override
    public String header(String name) {
        return request.header(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public List<String> headerValues(String name) {
        return request.headerValues(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public JsonNode auth() {
        return auth;
    }

    @Override
    public InetSocketAddress address() {
        return request.remoteAddress();
    }

    @Override
    public boolean secure() {
        return request.secure();
    }

    @Override
    public long issued() {
        return request.time();
    }
}
