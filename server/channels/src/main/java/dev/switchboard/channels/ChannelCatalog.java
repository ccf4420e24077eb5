package dev.switchboard.channels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The configured channels, first match wins. Spec syntax (WS_CHANNELS), entries separated by ';':
 * {@code pattern=namespace:room:subscribe:publish}, namespace {@code local} for a channel of the plain endpoint
 * only (room empty), the room may contain ':' and the pattern's {@code {variables}}; access is
 * public|auth|owner|none. Example: {@code agents/{agent_id}=/mcp:agent:{agent_id}:owner:owner}.
 */
public final class ChannelCatalog {
    public static final String METRICS = "metrics";
    public static final String DEFAULT_SPEC = String.join(";",
            "global=/mcp:global:public:auth",
            METRICS + "=local::public:none",
            "agents/{agent_id}=/mcp:agent:{agent_id}:owner:owner",
            "sessions/{session_id}=/mcp:session:{session_id}:owner:owner",
            "topics/{topic}=/mcp:topic:{topic}:public:auth");
    static final int MAX_NAME_LENGTH = 256;

    private final List<ChannelRule> rules;

    public ChannelCatalog(List<ChannelRule> rules) {
        if (rules.isEmpty()) throw new IllegalArgumentException("no channel configured");
        this.rules = List.copyOf(rules);
    }

    public static ChannelCatalog defaults() {
        return parse(DEFAULT_SPEC);
    }

    /** Parses a WS_CHANNELS spec; the exception message says which entry is wrong and why. */
    public static ChannelCatalog parse(String spec) {
        List<ChannelRule> rules = new ArrayList<>();
        for (String entry : spec.split(";")) {
            String e = entry.trim();
            if (e.isEmpty()) continue;
            int eq = e.indexOf('=');
            String[] parts = eq < 0 ? new String[0] : e.substring(eq + 1).split(":", -1);
            if (eq <= 0 || parts.length < 4) {
                throw new IllegalArgumentException("channel entry '" + e + "' must be pattern=namespace:room:subscribe:publish");
            }
            try {
                ChannelPattern pattern = ChannelPattern.parse(e.substring(0, eq).trim());
                String namespace = parts[0].trim();
                String room = String.join(":", Arrays.copyOfRange(parts, 1, parts.length - 2)).trim();
                ChannelAccess subscribe = ChannelAccess.parse(parts[parts.length - 2]);
                ChannelAccess publish = ChannelAccess.parse(parts[parts.length - 1]);
                if ("local".equals(namespace)) {
                    rules.add(new ChannelRule(pattern, null, null, subscribe, publish));
                } else {
                    if (room.isEmpty()) throw new IllegalArgumentException("room is empty");
                    rules.add(new ChannelRule(pattern, namespace, room, subscribe, publish));
                }
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("channel entry '" + e + "': " + ex.getMessage(), ex);
            }
        }
        return new ChannelCatalog(rules);
    }

    /** The channel this name denotes, or null when no rule matches (INVALID_CHANNEL). */
    public ResolvedChannel resolve(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) return null;
        for (ChannelRule rule : rules) {
            Map<String, String> vars = rule.pattern().match(name);
            if (vars != null) {
                String room = rule.local() ? null : ChannelPattern.render(rule.roomTemplate(), vars);
                return new ResolvedChannel(name, rule, room, vars);
            }
        }
        return null;
    }

    public List<ChannelRule> rules() {
        return rules;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (ChannelRule r : rules) {
            if (s.length() > 0) s.append(';');
            s.append(r.pattern()).append('=').append(r.local() ? "local:" : r.namespace() + ":" + r.roomTemplate())
                    .append(':').append(r.subscribe().name().toLowerCase()).append(':').append(r.publish().name().toLowerCase());
        }
        return s.toString();
    }
}
