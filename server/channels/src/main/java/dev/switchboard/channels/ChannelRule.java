package dev.switchboard.channels;

import java.util.Objects;

/**
 * One configured channel family: the name pattern, where it maps to (a Socket.IO namespace and room template;
 * namespace null for a channel local to the plain endpoint, like {@code metrics}) and who may subscribe / publish.
 */
public record ChannelRule(ChannelPattern pattern, String namespace, String roomTemplate,
                          ChannelAccess subscribe, ChannelAccess publish) {

    public ChannelRule {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(subscribe, "subscribe");
        Objects.requireNonNull(publish, "publish");
        if (namespace != null) {
            if (!namespace.startsWith("/")) throw new IllegalArgumentException("namespace must start with '/': " + namespace);
            Objects.requireNonNull(roomTemplate, "roomTemplate");
            if (ChannelPattern.render(roomTemplate, java.util.Map.of()) == null
                    && !pattern.variables().containsAll(variablesOf(roomTemplate))) {
                throw new IllegalArgumentException("room '" + roomTemplate + "' uses a variable that channel '"
                        + pattern + "' does not define");
            }
        }
    }

    public boolean local() {
        return namespace == null;
    }

    private static java.util.List<String> variablesOf(String template) {
        java.util.List<String> names = new java.util.ArrayList<>();
        var m = java.util.regex.Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}").matcher(template);
        while (m.find()) names.add(m.group(1));
        return names;
    }
}
