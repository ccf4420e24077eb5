package dev.switchboard.channels;

import java.util.Map;

/** A concrete channel name matched to its rule: the namespace/room it maps to and its variables. */
public record ResolvedChannel(String name, ChannelRule rule, String room, Map<String, String> variables) {

    public String namespace() {
        return rule.namespace();
    }

    public boolean local() {
        return rule.local();
    }
}
