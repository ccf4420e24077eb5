package dev.switchboard.namespaces.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.Socket;

/**
 * The client events of one namespace, declared once at install: each event's arguments are parsed into a typed
 * request, the handler runs on it and its {@link Reply} goes back as the ack; a {@link ProducerException} from
 * either step becomes the documented {@code error} event with its code (and the {@code {ok: false}} ack when one
 * was asked). The declared names, in declaration order, are the {@code events} of the {@code connected} greeting.
 */
public final class ClientEvents {

    /** Turns an event's arguments into the handler's typed request; throws BAD_REQUEST (or another code) when it cannot. */
    @FunctionalInterface
    public interface RequestParser<R> {
        R parse(Event event) throws ProducerException;
    }

    /** Handles one parsed request of a socket. */
    @FunctionalInterface
    public interface Handler<R> {
        Reply handle(Socket socket, R request) throws ProducerException;
    }

    /** Handles an event that takes no arguments. */
    @FunctionalInterface
    public interface NoArgHandler {
        Reply handle(Socket socket) throws ProducerException;
    }

    private final Map<String, Handler<Event>> handlers = new LinkedHashMap<>();

    /** Declares {@code event}: its arguments parsed by {@code parser}, then handled by {@code handler}. */
    public <R> ClientEvents on(String event, RequestParser<R> parser, Handler<R> handler) {
        if (handlers.putIfAbsent(event, (socket, e) -> handler.handle(socket, parser.parse(e))) != null) {
            throw new IllegalArgumentException("event declared twice: " + event);
        }
        return this;
    }

    /** Declares {@code event}, whose arguments are ignored. */
    public ClientEvents on(String event, NoArgHandler handler) {
        return on(event, e -> null, (socket, none) -> handler.handle(socket));
    }

    /** The declared event names, for the greeting. */
    public List<String> names() {
        return new ArrayList<>(handlers.keySet());
    }

    /** Registers every declared event on a newly connected socket. */
    public void attach(Socket socket) {
        handlers.forEach((name, handler) -> socket.on(name, event -> run(event, handler)));
    }

    /** Runs one handler the way every declared event runs: reply as the ack, or the error event. */
    public static void run(Event event, Handler<Event> handler) {
        Reply reply;
        try {
            reply = handler.handle(event.socket(), event);
        } catch (ProducerException e) {
            ClientErrors.send(event, e);
            return;
        }
        reply.send(event);
    }
}
