package dev.switchboard.namespaces.services;

/**
 * What a /services log subscriber follows: the container as the client named it (id, id prefix or name; events
 * carry it back unchanged) and which streams. Subscribers asking for the same topic share one topic; every name
 * of one container with the same streams shares one Docker follow ({@link SharedFollows}).
 */
public record LogTopic(String container, boolean stdout, boolean stderr, boolean timestamps) {

    public String key() {
        return container + (stdout ? ":out" : "") + (stderr ? ":err" : "") + (timestamps ? ":ts" : "");
    }
}
