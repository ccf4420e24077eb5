package dev.switchboard.redis;

/** Health of a node's Redis link, for /health. */
public enum RedisStatus {
    /** Connected: broadcasts reach other nodes, cluster counts are available. */
    OK("ok"),
    /** Not connected (yet, or lost): local sockets are still served, the link reconnects by itself. */
    DEGRADED("degraded"),
    /** Closed by {@link RedisCluster#close()}. */
    CLOSED("closed");

    private final String word;

    RedisStatus(String word) {
        this.word = word;
    }

    /** "ok", "degraded" or "closed". */
    public String word() {
        return word;
    }
}
