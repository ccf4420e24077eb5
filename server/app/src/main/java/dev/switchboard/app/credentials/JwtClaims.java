package dev.switchboard.app.credentials;

import java.util.List;
import java.util.Set;

import dev.switchboard.socketio.RoomPattern;

/**
 * What a verified JWT grants.
 *
 * @param subject    the {@code sub} claim, or null
 * @param namespaces the {@code namespaces} claim; {@code "*"} grants every namespace
 * @param rooms      the {@code rooms} claim: the room patterns the client may ask for (within ROOM_PATTERNS);
 *                   null when the token has no such claim (no limit of its own)
 */
public record JwtClaims(String subject, Set<String> namespaces, List<RoomPattern> rooms) {

    public JwtClaims(String subject, Set<String> namespaces) {
        this(subject, namespaces, null);
    }

    public boolean grants(String namespace) {
        return namespaces.contains(namespace) || namespaces.contains("*");
    }
}
