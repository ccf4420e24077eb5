package dev.switchboard.socketio;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which rooms a client may ask to be in: a /mcp {@code join}, a /services {@code serviceId}, a /deployments
 * process room, the room a /ws channel maps to. One rule, in this order:
 * <ol>
 * <li>rooms the server assigns are never joined on request: identity rooms ({@code user:}, {@code agent:},
 *     {@code session:} prefixes) other than the client's own, and another socket's id room;</li>
 * <li>the room must match one of the operator's patterns ({@code ROOM_PATTERNS}; default {@code *}: any room
 *     not reserved by 1.);</li>
 * <li>when the client's credential lists room patterns (the JWT {@code rooms} claim), one of those too.</li>
 * </ol>
 * A client's own rooms (those the server put it in: its id room, its verified identity rooms) always pass.
 * Apart from the rule, a client may open a room (ask for one nobody is in on this node) only while the namespace
 * has fewer than {@link #maxRooms()} rooms with members here: each room costs this node (and, on a sharded Redis
 * adapter, Redis a subscription) until its last member leaves, and {@code ROOM_PATTERNS=*} lets every client
 * open fresh ones. Joining a room that has members is never refused by this bound.
 */
public final class RoomAccess {
    /** Prefixes of the rooms the server assigns from a verified identity. */
    public static final List<String> IDENTITY_PREFIXES = List.of("user:", "agent:", "session:");
    /** {@code socket.data()} key of the room patterns the socket's credential allows ({@code List<RoomPattern>}). */
    public static final String CLAIM_KEY = "sb.rooms";

    /** Default of {@link #maxRooms()} (MAX_ROOMS_PER_NAMESPACE). */
    public static final int DEFAULT_MAX_ROOMS = 100_000;

    private final List<RoomPattern> allowed;
    private final int maxRooms;

    public RoomAccess(List<RoomPattern> allowed) {
        this(allowed, DEFAULT_MAX_ROOMS);
    }

    private RoomAccess(List<RoomPattern> allowed, int maxRooms) {
        if (allowed.isEmpty()) {
            throw new IllegalArgumentException("at least one room pattern is required");
        }
        if (maxRooms < 1) {
            throw new IllegalArgumentException("maxRooms must be >= 1");
        }
        this.allowed = List.copyOf(allowed);
        this.maxRooms = maxRooms;
    }

    /** The same rule, with at most {@code maxRooms} rooms with members per namespace on this node opened by clients. */
    public RoomAccess withMaxRooms(int maxRooms) {
        return new RoomAccess(allowed, maxRooms);
    }

    public int maxRooms() {
        return maxRooms;
    }

    /**
     * Why {@code socket} may not open {@code room} now (LIMIT_EXCEEDED), or null when it may: the room has members on
     * this node already (or the socket is in it), or the namespace has fewer than {@link #maxRooms()} rooms here.
     */
    public String capacityRefusal(Socket socket, String room) {
        Adapter adapter = socket.namespace().adapter();
        if (adapter.roomCount() < maxRooms || !adapter.sockets(Set.of(room)).isEmpty()) {
            return null;
        }
        return "namespace " + socket.namespace().name() + " has " + maxRooms
                + " rooms open on this server; join one that has members, or retry later";
    }

    /** The default rule: any room that is not reserved. */
    public static RoomAccess anyRoom() {
        return new RoomAccess(List.of(RoomPattern.parse("*")));
    }

    /** Patterns from their text form ({@code glob} or {@code glob@/ns1|/ns2}); the message says which is wrong. */
    public static List<RoomPattern> parsePatterns(Iterable<String> entries) {
        List<RoomPattern> patterns = new ArrayList<>();
        for (String entry : entries) {
            try {
                patterns.add(RoomPattern.parse(entry));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("room pattern '" + entry + "': " + e.getMessage(), e);
            }
        }
        return patterns;
    }

    public List<RoomPattern> allowed() {
        return allowed;
    }

    public static boolean identityRoom(String room) {
        for (String prefix : IDENTITY_PREFIXES) {
            if (room.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why a Socket.IO socket may not ask for {@code room}, or null when it may. Its own rooms are the ones it is
     * in; another connected socket's id room of the namespace is reserved; its claim is {@link #CLAIM_KEY}.
     */
    public String refusal(Socket socket, String room) {
        Namespace namespace = socket.namespace();
        @SuppressWarnings("unchecked")
        List<RoomPattern> claim = (List<RoomPattern>) socket.data().get(CLAIM_KEY);
        return refusal(namespace.name(), room, socket.rooms(), claim, id -> namespace.socket(id) != null);
    }

    /**
     * Why a client may not ask for {@code room} of {@code namespace}, or null when it may.
     *
     * @param ownRooms   rooms the server gave this client (they always pass)
     * @param claim      the room patterns its credential allows; null = its credential sets no limit
     * @param socketRoom whether a room is a connected socket's id room
     */
    public String refusal(String namespace, String room, Set<String> ownRooms, List<RoomPattern> claim,
                          Predicate<String> socketRoom) {
        if (ownRooms.contains(room)) {
            return null;
        }
        if (identityRoom(room) || socketRoom.test(room)) {
            return "room '" + room + "' is assigned by the server and cannot be joined";
        }
        if (!anyMatches(allowed, namespace, room)) {
            return "room '" + room + "' is not allowed on this server";
        }
        if (claim != null && !anyMatches(claim, namespace, room)) {
            return "room '" + room + "' is not allowed by your token";
        }
        return null;
    }

    private static boolean anyMatches(List<RoomPattern> patterns, String namespace, String room) {
        for (RoomPattern pattern : patterns) {
            if (pattern.matches(namespace, room)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return allowed.toString();
    }
}
