package dev.switchboard.socketio;

import java.util.Set;

/**
 * Holds room membership of one namespace and delivers broadcasts. In-memory by default; a Redis adapter
 * (issue 6) implements the same interface to reach sockets on other nodes.
 * (Owned by the Socket.IO layer: it adds the broadcast method with its packet type.)
 */
public interface Adapter {

    void addAll(String socketId, Set<String> rooms);

    void del(String socketId, String room);

    void delAll(String socketId);

    /** Ids of the sockets in any of these rooms (all sockets when empty). */
    Set<String> sockets(Set<String> rooms);

    /** Rooms of one socket (empty when unknown). */
    Set<String> socketRooms(String socketId);
}
