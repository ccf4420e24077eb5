package dev.switchboard.channels;

import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;

import dev.switchboard.socketio.RoomAccess;
import dev.switchboard.socketio.RoomPattern;

/**
 * Who may subscribe to or publish on a channel. A channel mapped to a namespace room is exactly as open as that
 * namespace and room are to a Socket.IO client with the same credentials, then the channel's own access
 * (public|auth|owner|none) applies on top:
 * <ol>
 * <li>namespace: open (see {@link ChannelAuthenticator#namespaceOpen}), or a token granting it, or the room is the
 *     client's own identity room; a subscription to a channel the operator declared public (WS_PUBLIC_CHANNELS)
 *     skips this step;</li>
 * <li>room: the server's {@link RoomAccess} rule (server-assigned rooms are never joined on request, operator
 *     patterns, the token's rooms claim).</li>
 * </ol>
 * Local channels ({@code metrics}) have no namespace: only their own access applies.
 */
final class ChannelGate {
    private final ChannelAuthenticator authenticator;
    private final RoomAccess rooms;
    private final List<String> publicChannels;
    private final BiPredicate<String, String> socketRoom;

    /**
     * @param publicChannels channel name globs ({@code *} = any run of characters) anyone may subscribe to
     * @param socketRoom     whether (namespace, room) is a connected Socket.IO socket's id room
     */
    ChannelGate(ChannelAuthenticator authenticator, RoomAccess rooms, List<String> publicChannels,
                BiPredicate<String, String> socketRoom) {
        this.authenticator = authenticator;
        this.rooms = rooms;
        this.publicChannels = List.copyOf(publicChannels);
        this.socketRoom = socketRoom;
    }

    /** Rooms of one namespace the channels may have subscribers in on this node (MAX_ROOMS_PER_NAMESPACE). */
    int maxRooms() {
        return rooms.maxRooms();
    }

    boolean maySubscribe(ClientIdentity identity, ResolvedChannel channel) {
        return allows(identity, channel, channel.rule().subscribe(), declaredPublic(channel.name()));
    }

    boolean mayPublish(ClientIdentity identity, ResolvedChannel channel) {
        return allows(identity, channel, channel.rule().publish(), false);
    }

    private boolean allows(ClientIdentity identity, ResolvedChannel channel, ChannelAccess access, boolean declaredPublic) {
        if (channel.local()) {
            return identity.allows(access, channel);
        }
        String namespace = channel.namespace();
        String room = channel.room();
        Set<String> own = identity.identityRooms();
        if (!declaredPublic && !authenticator.namespaceOpen(namespace) && !identity.grantsNamespace(namespace)
                && !own.contains(room)) {
            return false;
        }
        if (rooms.refusal(namespace, room, own, identity.roomClaim(), r -> socketRoom.test(namespace, r)) != null) {
            return false;
        }
        return declaredPublic ? access != ChannelAccess.NONE : identity.allows(access, channel);
    }

    private boolean declaredPublic(String channelName) {
        for (String glob : publicChannels) {
            if (RoomPattern.globMatches(glob, channelName)) {
                return true;
            }
        }
        return false;
    }
}
