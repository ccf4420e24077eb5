package dev.switchboard.socketio;

import java.util.Set;

/**
 * One entry of a room rule: a glob over room names, optionally limited to some namespaces. Syntax
 * {@code glob} (every namespace) or {@code glob@/ns1|/ns2}; in the glob {@code *} stands for any run of characters
 * (none included) and every other character for itself. Matching splits the glob at its stars and finds each
 * piece left to right (the leftmost fit is always right for star-only globs): no regex, no backtracking.
 *
 * @param glob       the room glob
 * @param namespaces the namespaces it applies to; empty = all
 */
public record RoomPattern(String glob, Set<String> namespaces) {
    static final int MAX_LENGTH = 256;

    public RoomPattern {
        if (glob == null || glob.isEmpty() || glob.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a room pattern must be 1 to " + MAX_LENGTH + " characters");
        }
        namespaces = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(namespaces)); // keeps the given order
        for (String ns : namespaces) {
            if (!ns.startsWith("/") || ns.length() < 2) {
                throw new IllegalArgumentException("'" + ns + "' is not a namespace (like /mcp)");
            }
        }
    }

    /** Parses {@code glob} or {@code glob@/ns1|/ns2}. */
    public static RoomPattern parse(String entry) {
        String e = entry == null ? "" : entry.trim();
        int at = e.lastIndexOf("@/");
        if (at < 0) {
            return new RoomPattern(e, Set.of());
        }
        Set<String> namespaces = new java.util.LinkedHashSet<>();
        for (String ns : e.substring(at + 1).split("\\|")) {
            namespaces.add(ns.trim());
        }
        return new RoomPattern(e.substring(0, at), namespaces);
    }

    public boolean matches(String namespace, String room) {
        return (namespaces.isEmpty() || namespaces.contains(namespace)) && globMatches(glob, room);
    }

    /** Whether {@code text} matches {@code glob} ({@code *}: any run of characters). */
    public static boolean globMatches(String glob, String text) {
        int star = glob.indexOf('*');
        if (star < 0) {
            return glob.equals(text);
        }
        if (!text.startsWith(glob.substring(0, star))) {
            return false;
        }
        int lastStar = glob.lastIndexOf('*');
        String tail = glob.substring(lastStar + 1);
        int end = text.length() - tail.length();
        if (end < star || !text.endsWith(tail)) {
            return false;
        }
        int at = star; // the pieces between the first and the last star, each leftmost within text[star, end)
        int from = star + 1;
        while (from <= lastStar) {
            int next = glob.indexOf('*', from);
            String piece = glob.substring(from, next);
            if (!piece.isEmpty()) {
                int found = text.indexOf(piece, at);
                if (found < 0 || found + piece.length() > end) {
                    return false;
                }
                at = found + piece.length();
            }
            from = next + 1;
        }
        return true;
    }

    @Override
    public String toString() {
        return namespaces.isEmpty() ? glob : glob + "@" + String.join("|", namespaces);
    }
}
