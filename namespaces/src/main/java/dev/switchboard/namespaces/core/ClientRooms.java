package dev.switchboard.namespaces.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.socketio.RoomAccess;
import dev.switchboard.socketio.Socket;

/**
 * A room a client asked to be in, checked against the server's {@link RoomAccess} rule before anything else, then
 * against the namespace's bound on open rooms ({@link RoomAccess#maxRooms()}).
 */
public final class ClientRooms {
    private static final Logger log = LoggerFactory.getLogger(ClientRooms.class);

    private ClientRooms() {
    }

    /**
     * Throws FORBIDDEN (the rule's reason) when {@code socket} may not ask for {@code room}; LIMIT_EXCEEDED when the
     * room would be a new one and the namespace has its maximum of rooms open on this node.
     */
    public static void check(RoomAccess rules, Socket socket, String room) throws ProducerException {
        String refusal = rules.refusal(socket, room);
        if (refusal != null) {
            // debug: a client could repeat refused requests at its event rate to flood the log; it gets the error
            log.debug("room refused namespace={} socketId={} reason=\"{}\"", socket.namespace().name(), socket.id(), refusal);
            throw new ProducerException("FORBIDDEN", refusal);
        }
        String full = rules.capacityRefusal(socket, room);
        if (full != null) {
            log.debug("room refused namespace={} socketId={} reason=\"{}\"", socket.namespace().name(), socket.id(), full);
            throw new ProducerException("LIMIT_EXCEEDED", full);
        }
    }
}
