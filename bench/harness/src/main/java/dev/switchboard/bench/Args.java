package dev.switchboard.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** key=value command-line arguments with typed defaults. */
public final class Args {
    private final Map<String, String> values;

    private Args(Map<String, String> values) {
        this.values = values;
    }

    public static Args parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("argument '" + arg + "' is not key=value");
            }
            values.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return new Args(values);
    }

    public String str(String key, String def) {
        return values.getOrDefault(key, def);
    }

    public int integer(String key, int def) {
        String v = values.get(key);
        return v == null ? def : Integer.parseInt(v);
    }

    public long longValue(String key, long def) {
        String v = values.get(key);
        return v == null ? def : Long.parseLong(v);
    }

    public List<Integer> ints(String key, String def) {
        List<Integer> out = new ArrayList<>();
        for (String part : str(key, def).split(",")) {
            if (!part.isBlank()) {
                out.add(Integer.parseInt(part.trim()));
            }
        }
        return out;
    }
}
