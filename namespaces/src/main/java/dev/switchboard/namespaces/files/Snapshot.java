package dev.switchboard.namespaces.files;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a watcher last saw, per path, indexed by parent folder: removing a folder finds what was inside it by
 * walking that folder's own entries, never the whole tree, so a rename loop in a large tree costs what is renamed.
 */
final class Snapshot<E> {
    private final Map<Path, E> entries = new HashMap<>();
    private final Map<Path, Set<Path>> children = new HashMap<>();

    E get(Path path) {
        return entries.get(path);
    }

    E put(Path path, E entry) {
        E old = entries.put(path, entry);
        if (old == null && path.getParent() != null) {
            children.computeIfAbsent(path.getParent(), k -> new LinkedHashSet<>()).add(path);
        }
        return old;
    }

    E remove(Path path) {
        E old = entries.remove(path);
        if (old != null && path.getParent() != null) {
            Set<Path> siblings = children.get(path.getParent());
            if (siblings != null && siblings.remove(path) && siblings.isEmpty()) {
                children.remove(path.getParent());
            }
        }
        return old;
    }

    /** The paths recorded below {@code dir} (not {@code dir} itself), in no particular order. */
    List<Path> under(Path dir) {
        List<Path> found = new ArrayList<>();
        Deque<Path> todo = new ArrayDeque<>();
        todo.push(dir);
        while (!todo.isEmpty()) {
            Set<Path> inside = children.get(todo.pop());
            if (inside != null) {
                for (Path path : inside) {
                    found.add(path);
                    todo.push(path);
                }
            }
        }
        return found;
    }

    boolean contains(Path path) {
        return entries.containsKey(path);
    }

    Set<Path> paths() {
        return entries.keySet();
    }

    int size() {
        return entries.size();
    }

    void clear() {
        entries.clear();
        children.clear();
    }
}
