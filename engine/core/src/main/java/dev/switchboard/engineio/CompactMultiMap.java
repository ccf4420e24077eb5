package dev.switchboard.engineio;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable multi-valued map (handshake headers, query parameters) in two arrays, names and values deduplicated
 * across connections. Every open session keeps its handshake request, as Node does; a map of lists per session
 * costs about 1 KiB more than this (docs/benchmarks.md, memory per idle connection).
 */
final class CompactMultiMap extends AbstractMap<String, List<String>> {
    static final CompactMultiMap EMPTY = new CompactMultiMap(new String[0], new Object[0]);

    private final String[] names;
    private final Object[] values; // a String, or a List<String> for a name given more than once

    private CompactMultiMap(String[] names, Object[] values) {
        this.names = names;
        this.values = values;
    }

    /** Builds one; repeated names keep every value in order. */
    static final class Builder {
        private final LinkedHashMap<String, Object> entries = new LinkedHashMap<>();

        @SuppressWarnings("unchecked")
        Builder add(String name, String value) {
            String v = StringDedup.of(value);
            entries.merge(StringDedup.of(name), v, (old, added) -> {
                List<String> list = old instanceof List<?> l ? (List<String>) l : new ArrayList<>(List.of((String) old));
                list.add((String) added);
                return list;
            });
            return this;
        }

        CompactMultiMap build() {
            if (entries.isEmpty()) {
                return EMPTY;
            }
            String[] names = new String[entries.size()];
            Object[] values = new Object[entries.size()];
            int i = 0;
            for (Map.Entry<String, Object> e : entries.entrySet()) {
                names[i] = e.getKey();
                values[i++] = e.getValue() instanceof List<?> l ? List.copyOf(l) : e.getValue();
            }
            return new CompactMultiMap(names, values);
        }
    }

    /** The first value given for {@code name}, or null; allocates nothing. */
    String first(String name) {
        int i = indexOf(name);
        if (i < 0) {
            return null;
        }
        return values[i] instanceof String s ? s : list(i).get(0);
    }

    private int indexOf(Object name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @SuppressWarnings("unchecked")
    private List<String> list(int i) {
        Object v = values[i];
        return v instanceof String s ? List.of(s) : (List<String>) v;
    }

    @Override
    public List<String> get(Object name) {
        int i = indexOf(name);
        return i < 0 ? null : list(i);
    }

    @Override
    public boolean containsKey(Object name) {
        return indexOf(name) >= 0;
    }

    @Override
    public int size() {
        return names.length;
    }

    @Override
    public Set<Map.Entry<String, List<String>>> entrySet() {
        Map<String, List<String>> view = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            view.put(names[i], list(i));
        }
        return java.util.Collections.unmodifiableMap(view).entrySet();
    }
}
