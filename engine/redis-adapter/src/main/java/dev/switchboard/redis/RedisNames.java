package dev.switchboard.redis;

/**
 * Channel and key names. Channels follow @socket.io/redis-adapter and -emitter exactly
 * ({@code <prefix>#<nsp>#}, {@code <prefix>#<nsp>#<room>#}, {@code <prefix>-request#<nsp>#},
 * {@code <prefix>-response#<nsp>#}); the node-state keys are Switchboard's own.
 */
final class RedisNames {
    private final String prefix;
    private final String statePrefix;

    RedisNames(String prefix) {
        this(prefix, false);
    }

    /**
     * @param cluster on a Redis Cluster (sharded mode) the node-state keys share one hash tag,
     *                {@code {<prefix>-switchboard}}, so one slot holds them all and the Lua scripts may touch them
     */
    RedisNames(String prefix, boolean cluster) {
        this.prefix = prefix;
        this.statePrefix = cluster ? "{" + prefix + "-switchboard}" : prefix + "-switchboard";
    }

    String prefix() {
        return prefix;
    }

    /** Broadcasts to the whole namespace (or to several rooms). */
    String broadcast(String nsp) {
        return prefix + "#" + nsp + "#";
    }

    /** Broadcasts to exactly one room. */
    String broadcastRoom(String nsp, String room) {
        return prefix + "#" + nsp + "#" + room + "#";
    }

    /** Pattern matching both broadcast channel forms of a namespace. Glob characters in nsp are escaped. */
    String broadcastPattern(String nsp) {
        return escapeGlob(broadcast(nsp)) + "*";
    }

    String request(String nsp) {
        return prefix + "-request#" + nsp + "#";
    }

    String response(String nsp) {
        return prefix + "-response#" + nsp + "#";
    }

    /** Sorted set: node uid scored by the Redis time (ms) its state expires. */
    String nodesKey() {
        return statePrefix + "#nodes";
    }

    /** Prefix of the per-node, per-namespace hash: {@code nodeKeyPrefix() + uid + "#" + nsp}. */
    String nodeKeyPrefix() {
        return statePrefix + "#node#";
    }

    String nodeKey(String uid, String nsp) {
        return nodeKeyPrefix() + uid + "#" + nsp;
    }

    static String escapeGlob(String s) {
        StringBuilder out = new StringBuilder(s.length() + 4);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
