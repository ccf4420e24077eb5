package dev.switchboard.app.guard;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.Socket;

/** An event whose {@link #socket()} is the {@link GuardedSocket}, so replies through it are counted too. */
final class GuardedEvent implements Event {
    private final Event delegate;
    private final GuardedSocket socket;

    GuardedEvent(Event delegate, GuardedSocket socket) {
        this.delegate = delegate;
        this.socket = socket;
    }

    @Override
    public Socket socket() {
        return socket;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public List<JsonNode> args() {
        return delegate.args();
    }

    @Override
    public JsonNode arg(int index) {
        return delegate.arg(index);
    }

    @Override
    public boolean wantsAck() {
        return delegate.wantsAck();
    }

    @Override
    public void ack(Object... args) {
        delegate.ack(args);
    }
}
