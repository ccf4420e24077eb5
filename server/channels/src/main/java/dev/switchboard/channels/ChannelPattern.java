package dev.switchboard.channels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A channel name pattern: segments separated by '/', each literal or a variable {@code {name}} matching one
 * segment of letters, digits and {@code _ . : -} (at most 128 characters). E.g. {@code agents/{agent_id}}.
 */
public final class ChannelPattern {
    static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_.:\\-]{1,128}");
    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final String text;
    private final String[] literals; // null at variable positions
    private final String[] variables; // null at literal positions

    private ChannelPattern(String text, String[] literals, String[] variables) {
        this.text = text;
        this.literals = literals;
        this.variables = variables;
    }

    public static ChannelPattern parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("empty channel pattern");
        String[] parts = text.split("/", -1);
        String[] literals = new String[parts.length];
        String[] variables = new String[parts.length];
        for (int i = 0; i < parts.length; i++) {
            var m = VARIABLE.matcher(parts[i]);
            if (m.matches()) {
                variables[i] = m.group(1);
            } else if (VALUE.matcher(parts[i]).matches()) {
                literals[i] = parts[i];
            } else {
                throw new IllegalArgumentException("bad segment '" + parts[i] + "' in channel pattern '" + text + "'");
            }
        }
        return new ChannelPattern(text, literals, variables);
    }

    /** The variables of {@code channel} when it matches, else null. */
    Map<String, String> match(String channel) {
        String[] parts = channel.split("/", -1);
        if (parts.length != literals.length) return null;
        Map<String, String> values = null;
        for (int i = 0; i < parts.length; i++) {
            if (literals[i] != null) {
                if (!literals[i].equals(parts[i])) return null;
            } else {
                if (!VALUE.matcher(parts[i]).matches()) return null;
                if (values == null) values = new LinkedHashMap<>();
                values.put(variables[i], parts[i]);
            }
        }
        return values == null ? Map.of() : values;
    }

    /** The variable names, in order. */
    List<String> variables() {
        List<String> names = new ArrayList<>();
        for (String v : variables) if (v != null) names.add(v);
        return names;
    }

    /** Replaces each {@code {name}} in {@code template} with its value; null when a variable has no value. */
    static String render(String template, Map<String, String> values) {
        var m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) return null;
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
